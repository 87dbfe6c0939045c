#pragma once
// Whether a TCP port is listening, and by whom, without ever connecting to it: a J-Link GDB
// server started with -singlerun quits after its first client, so a probe that connects ends
// the session it probes for.
//
// Linux reads the LISTEN sockets from /proc/net/tcp{,6} and their owners from /proc/PID/fd.
// POSIX tries bind() on the port (loopback and wildcard, IPv4 and IPv6, SO_REUSEADDR so old
// TIME_WAIT connections do not count) and reads EADDRINUSE as "listening"; it cannot tell the
// owner. The bound socket never listens and is closed at once, so a server binding in that
// same microsecond would see EADDRINUSE; callers poll no faster than every 10 ms.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>

#include "platform/os.h"

namespace omv::platform {

struct PortOwner {
  pid_t pid = 0;     // 0: something listens but the OS does not say what
  std::string name;  // the process's command name
};

// tcp_port_listening: something listens on `port` (any local address).
// tcp_port_listening_in_group: a process of the group `pgid` listens on it (POSIX: cannot
//   tell the owner, so any listener counts).
// tcp_port_owner: who listens, nullopt when nothing does.
#define OMV_PLATFORM_TCP_LISTEN                                  \
  bool tcp_port_listening(uint16_t port);                        \
  bool tcp_port_listening_in_group(uint16_t port, pid_t pgid);   \
  std::optional<PortOwner> tcp_port_owner(uint16_t port);
namespace linux_impl { OMV_PLATFORM_TCP_LISTEN }
namespace posix_impl { OMV_PLATFORM_TCP_LISTEN }
namespace linux_impl { inline constexpr bool kNamesPortOwners = true; }
namespace posix_impl { inline constexpr bool kNamesPortOwners = false; }
#undef OMV_PLATFORM_TCP_LISTEN

}  // namespace omv::platform
