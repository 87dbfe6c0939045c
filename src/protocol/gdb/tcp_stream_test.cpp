#include "protocol/gdb/tcp_stream.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace omv::protocol::gdb::tcp_stream_test {
namespace {

TEST(GdbEndpoint, ReadsHostAndPortAsGdbsTargetRemoteDoes) {
  auto a = parse_endpoint("192.168.1.7:2331");
  EXPECT_EQ(a.host, "192.168.1.7");
  EXPECT_EQ(a.port, 2331);
  EXPECT_EQ(a.describe(), "192.168.1.7:2331");
  auto b = parse_endpoint(":3333");
  EXPECT_EQ(b.host, "127.0.0.1");
  EXPECT_EQ(b.port, 3333);
  EXPECT_EQ(parse_endpoint("1337").describe(), "127.0.0.1:1337");
  auto c = parse_endpoint("[::1]:61234");
  EXPECT_EQ(c.host, "::1");
  EXPECT_EQ(c.describe(), "[::1]:61234");
}

TEST(GdbEndpoint, BadPortsAreUsageErrors) {
  for (const char* bad : {"host:", "host:0", "host:65536", "host:33x", "[::1]3333", ""}) {
    try {
      parse_endpoint(bad);
      ADD_FAILURE() << "accepted '" << bad << "'";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::usage) << bad;
    }
  }
}

}  // namespace
}  // namespace omv::protocol::gdb::tcp_stream_test
