#include "platform/tcp_listen.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>

#include "platform/impls_test.h"

namespace omv::platform::tcp_listen_test {

// A socket bound to 127.0.0.1 on a port the kernel picks; listening once listen() is called.
struct Socket {
  int fd = -1;
  uint16_t port = 0;
  Socket() {
    fd = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    socklen_t len = sizeof addr;
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
  }
  ~Socket() { ::close(fd); }
};

template <class T>
class TcpListen : public ::testing::Test {};
TYPED_TEST_SUITE(TcpListen, impls_test::Impls, impls_test::ImplName);

TYPED_TEST(TcpListen, AListeningPortIsSeenWithoutAConnection) {
  Socket server;
  ASSERT_EQ(::listen(server.fd, 1), 0);
  EXPECT_TRUE(TypeParam::tcp_port_listening(server.port));
  EXPECT_TRUE(TypeParam::tcp_port_listening_in_group(server.port, ::getpgrp()));
  auto owner = TypeParam::tcp_port_owner(server.port);
  ASSERT_TRUE(owner);
  if (TypeParam::is_linux) EXPECT_EQ(owner->pid, ::getpid());
  else EXPECT_EQ(owner->pid, 0);  // listening, owner unknown
  // Nobody connected: a -singlerun J-Link server would still be waiting for its one client.
  ::fcntl(server.fd, F_SETFL, O_NONBLOCK);
  EXPECT_EQ(::accept(server.fd, nullptr, nullptr), -1);
  EXPECT_TRUE(errno == EAGAIN || errno == EWOULDBLOCK);
}

TYPED_TEST(TcpListen, ABoundButSilentOrClosedPortIsNotListening) {
  uint16_t port;
  {
    Socket bound;  // bound, not yet listening: a server between its bind() and listen()
    port = bound.port;
    // /proc shows the state; a bind probe only sees the address taken (a window of microseconds
    // in a real server, which listens right after binding).
    EXPECT_EQ(TypeParam::tcp_port_listening(port), !TypeParam::is_linux);
  }
  EXPECT_FALSE(TypeParam::tcp_port_listening(port));
  EXPECT_FALSE(TypeParam::tcp_port_owner(port));
}

}  // namespace omv::platform::tcp_listen_test
