#include "platform/linux/proc_net_tcp.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

namespace omv::platform::linux_impl::proc_net_tcp_test {

TEST(ProcNetTcp, ParsesListenSocketsOnly) {
  const char* text =
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
      "   0: 0100007F:0D05 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 41234 1 0 100 0 0 10 0\n"
      "   1: 0100007F:0D05 0100007F:A1B2 01 00000000:00000000 00:00000000 00000000     0        0 41999 1 0 20 4 30 10 -1\n"
      "   2: 00000000:08FB 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 777 1 0 100 0 0 10 0\n"
      "garbage line\n";
  auto l = parse_proc_net_tcp(text);
  ASSERT_EQ(l.size(), 2u);
  EXPECT_EQ(l[0].port, 3333);
  EXPECT_EQ(l[0].inode, 41234u);
  EXPECT_EQ(l[1].port, 2299);
}

TEST(ProcNetTcp, OurListenerIsOneOfOurGroupsSockets) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(fd, 1), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  const uint16_t port = ntohs(addr.sin_port);
  bool ours = false;
  for (auto inode : socket_inodes_of_group(::getpgrp()))
    for (const auto& l : listening_sockets())
      if (l.port == port && l.inode == inode) ours = true;
  EXPECT_TRUE(ours);
  ::close(fd);
}

}  // namespace omv::platform::linux_impl::proc_net_tcp_test
