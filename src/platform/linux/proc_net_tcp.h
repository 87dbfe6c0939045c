#pragma once
// The LISTEN sockets of /proc/net/tcp{,6} and the socket inodes processes hold (Linux only).
#include <sys/types.h>

#include <cstdint>
#include <string_view>
#include <vector>

namespace omv::platform::linux_impl {

struct Listener {
  uint16_t port = 0;
  uint64_t inode = 0;
};

// The LISTEN sockets in the text of /proc/net/tcp or /proc/net/tcp6.
std::vector<Listener> parse_proc_net_tcp(std::string_view text);
std::vector<Listener> listening_sockets();
// Socket inodes open in the processes of a process group (a server and its helpers).
std::vector<uint64_t> socket_inodes_of_group(pid_t pgid);

}  // namespace omv::platform::linux_impl
