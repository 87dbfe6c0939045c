#pragma once
// TCP ports for GDB servers: which are listening (read passively from /proc/net/tcp{,6}, so a
// probe never "connects" to a server that quits after its first client), who owns them, and
// picking a free one.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omv::debug {

struct Listener {
  uint16_t port = 0;
  uint64_t inode = 0;
};

// The LISTEN sockets in the text of /proc/net/tcp or /proc/net/tcp6.
std::vector<Listener> parse_proc_net_tcp(std::string_view text);
std::vector<Listener> listening_sockets();

// Socket inodes open in the processes of a process group (a server and its helpers).
std::vector<uint64_t> socket_inodes_of_group(pid_t pgid);

struct PortOwner {
  pid_t pid = 0;
  std::string name;  // from /proc/<pid>/comm
};
// Who listens on `port`, when /proc lets us see it.
std::optional<PortOwner> port_owner(uint16_t port);

// True when nothing listens on the port and 127.0.0.1:port can be bound.
bool port_is_free(uint16_t port);

// "port 3333 is in use (by pid 42, qemu-system-arm)" / "port 3333 is in use".
std::string port_in_use_text(uint16_t port);

// The first port from `preferred` upward whose `count` consecutive ports are all free.
std::optional<uint16_t> find_free_ports(uint16_t preferred, int count = 1, int tries = 200);

}  // namespace omv::debug
