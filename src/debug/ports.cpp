#include "debug/ports.h"

#include <fmt/format.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "platform/tcp_listen.h"

namespace omv::debug {

std::optional<PortOwner> port_owner(uint16_t port) { return platform::os::tcp_port_owner(port); }

bool port_is_free(uint16_t port) {
  if (platform::os::tcp_port_listening(port)) return false;
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bool ok = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  close(fd);
  return ok;
}

std::string port_in_use_text(uint16_t port) {
  auto owner = port_owner(port);
  if (owner && owner->pid > 0) return fmt::format("port {} is in use (by pid {}, {})", port, owner->pid, owner->name);
  return fmt::format("port {} is in use", port);
}

std::optional<uint16_t> find_free_ports(uint16_t preferred, int count, int tries) {
  for (int i = 0; i < tries; ++i) {
    uint32_t base = static_cast<uint32_t>(preferred) + static_cast<uint32_t>(i * count);
    if (base + static_cast<uint32_t>(count) > 65535) break;
    bool all = true;
    for (int k = 0; k < count && all; ++k) all = port_is_free(static_cast<uint16_t>(base + static_cast<uint32_t>(k)));
    if (all) return static_cast<uint16_t>(base);
  }
  return std::nullopt;
}

}  // namespace omv::debug
