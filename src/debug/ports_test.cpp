#include "debug/ports.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace omv::debug {
namespace {

// A listening socket on 127.0.0.1, on a port the kernel picks.
struct TestListener {
  int fd = -1;
  uint16_t port = 0;
  TestListener() {
    fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    EXPECT_EQ(listen(fd, 1), 0);
    socklen_t len = sizeof addr;
    getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
    port = ntohs(addr.sin_port);
  }
  ~TestListener() { close(fd); }
};

}  // namespace

TEST(Ports, ABusyPortIsSeenWithItsOwner) {
  TestListener busy;
  EXPECT_FALSE(port_is_free(busy.port));
  auto owner = port_owner(busy.port);
  ASSERT_TRUE(owner);
  if (owner->pid != 0) {  // the OS says who listens (Linux's /proc)
    EXPECT_EQ(owner->pid, getpid());
    EXPECT_NE(port_in_use_text(busy.port).find("by pid " + std::to_string(getpid())), std::string::npos);
  } else {
    EXPECT_EQ(port_in_use_text(busy.port), "port " + std::to_string(busy.port) + " is in use");
  }
  auto next = find_free_ports(busy.port, 1);
  ASSERT_TRUE(next);
  EXPECT_NE(*next, busy.port);
}

}  // namespace omv::debug
