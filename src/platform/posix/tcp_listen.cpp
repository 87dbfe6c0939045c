#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "platform/tcp_listen.h"

namespace omv::platform::posix_impl {
namespace {

// bind() without listen(): EADDRINUSE means a socket already holds the address. SO_REUSEADDR
// lets the bind succeed over connections in TIME_WAIT, never over a listener.
bool address_in_use(int family, bool loopback, uint16_t port) {
  const int fd = ::socket(family, SOCK_STREAM, 0);
  if (fd < 0) return false;
  const int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
  int r;
  if (family == AF_INET) {
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(loopback ? INADDR_LOOPBACK : INADDR_ANY);
    r = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  } else {
    ::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
    sockaddr_in6 a{};
    a.sin6_family = AF_INET6;
    a.sin6_port = htons(port);
    a.sin6_addr = loopback ? in6addr_loopback : in6addr_any;
    r = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  }
  const bool in_use = r != 0 && errno == EADDRINUSE;
  ::close(fd);
  return in_use;
}

}  // namespace

bool tcp_port_listening(uint16_t port) {
  for (int family : {AF_INET, AF_INET6})
    for (bool loopback : {true, false})
      if (address_in_use(family, loopback, port)) return true;
  return false;
}

bool tcp_port_listening_in_group(uint16_t port, pid_t) { return tcp_port_listening(port); }

std::optional<PortOwner> tcp_port_owner(uint16_t port) {
  if (!tcp_port_listening(port)) return std::nullopt;
  return PortOwner{};
}

}  // namespace omv::platform::posix_impl
