#include "protocol/gdb/client.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "protocol/gdb/crc32.h"
#include "protocol/gdb/fake_server_for_tests.h"

namespace omv::protocol::gdb::client_test {
namespace {

using testing::FakeServer;

ClientOptions quick() {
  ClientOptions o;
  o.reply_timeout = Millis(50);
  o.flash_timeout = Millis(50);
  return o;
}

std::vector<uint8_t> pattern(size_t n) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 7 + (i >> 8));
  // Every byte that must be escaped, and runs a run-length encoder would shorten.
  v[1] = '#', v[2] = '$', v[3] = '}', v[4] = '*', v[5] = 0x03;
  std::fill_n(v.begin() + 100, 200, 0x30);
  return v;
}

TEST(GdbClient, NegotiatesNoAckModeWhenOffered) {
  FakeServer server;
  Client client(server, quick());
  auto& f = client.connect();
  EXPECT_EQ(f.packet_size, 0x1000u);
  EXPECT_TRUE(f.supports("qXfer:memory-map:read"));
  EXPECT_FALSE(client.acks());
  EXPECT_FALSE(server.acks);
}

TEST(GdbClient, StaysInAckModeWithoutTheOffer) {
  FakeServer server;
  server.offer_no_ack = false;
  Client client(server, quick());
  client.connect();
  EXPECT_TRUE(client.acks());
  EXPECT_EQ(server.counts["QStartNoAckMode"], 0);
}

TEST(GdbClient, WritesAndReadsBackEveryByteWithX) {
  FakeServer server;
  server.flash = false;
  Client client(server, quick());
  client.connect();
  const auto data = pattern(10000);
  client.write_memory(server.base + 3, data);
  EXPECT_TRUE(client.uses_binary_writes());
  EXPECT_EQ(std::vector<uint8_t>(server.memory.begin() + 3, server.memory.begin() + 3 + 10000), data);
  EXPECT_GE(server.counts["X"], 4);  // one probe, then 10000 bytes in packets of < 4 KiB
  EXPECT_EQ(server.counts["M"], 0);
  EXPECT_EQ(client.read_memory(server.base + 3, data.size()), data);
}

TEST(GdbClient, FallsBackToMWhenXIsNotSupported) {
  FakeServer server;
  server.accept_x = false;
  server.offer_no_ack = false;  // QEMU: acks, no X
  Client client(server, quick());
  client.connect();
  const auto data = pattern(5000);
  client.write_memory(server.base, data);
  EXPECT_FALSE(client.uses_binary_writes());
  EXPECT_EQ(server.counts["X"], 1);
  EXPECT_GE(server.counts["M"], 3);
  EXPECT_EQ(std::vector<uint8_t>(server.memory.begin(), server.memory.begin() + 5000), data);
}

TEST(GdbClient, ExpandsRunLengthEncodedReplies) {
  FakeServer server;
  server.run_length = true;
  std::fill(server.memory.begin(), server.memory.begin() + 4096, 0x00);
  server.memory[4000] = 0x55;
  Client client(server, quick());
  client.connect();
  auto got = client.read_memory(server.base, 4096);
  ASSERT_EQ(got.size(), 4096u);
  EXPECT_EQ(got[3999], 0x00);
  EXPECT_EQ(got[4000], 0x55);
  EXPECT_EQ(got[4001], 0x00);
}

TEST(GdbClient, AsksAgainAfterABadChecksum) {
  FakeServer server;
  server.offer_no_ack = false;
  server.corrupt_replies = 2;
  Client client(server, quick());
  client.connect();
  server.memory[0] = 0xA5;
  EXPECT_EQ(client.read_memory(server.base, 1), std::vector<uint8_t>{0xA5});
  EXPECT_EQ(server.corrupt_replies, 0);
}

TEST(GdbClient, CrcRepliesAreTakenOnlyWhenWellFormed) {
  FakeServer server;
  Client client(server, quick());
  client.connect();
  auto good = client.crc(server.base, 0x100);
  ASSERT_TRUE(good.crc);
  EXPECT_EQ(*good.crc, gdb_crc32(std::span<const uint8_t>(server.memory).subspan(0, 0x100)));
  server.crc = FakeServer::Crc::unsupported;
  EXPECT_FALSE(client.crc(server.base, 0x100).crc);
  server.crc = FakeServer::Crc::thread_id;  // pyOCD before 0.37 answered qCRC as qC
  auto bogus = client.crc(server.base, 0x100);
  EXPECT_FALSE(bogus.crc);
  EXPECT_EQ(bogus.reply, "QC1");
}

TEST(GdbClient, ReadsTheMemoryMapInPieces) {
  FakeServer server;
  server.packet_size = 0x60;  // forces several qXfer pieces
  Client client(server, quick());
  client.connect();
  auto xml = client.memory_map_xml();
  ASSERT_TRUE(xml);
  EXPECT_EQ(*xml, server.map_xml());
  EXPECT_GT(server.counts["qXfer"], 3);
  auto map = parse_memory_map(*xml);
  ASSERT_EQ(map.regions.size(), 2u);
  EXPECT_EQ(map.regions[0].blocksize, 0x1000u);
}

TEST(GdbClient, NoMemoryMapWhenNotOffered) {
  FakeServer server;
  server.offer_map = false;
  Client client(server, quick());
  client.connect();
  EXPECT_EQ(client.memory_map_xml(), std::nullopt);
  EXPECT_EQ(server.counts["qXfer"], 0);
}

TEST(GdbClient, FlashesThroughVFlashPackets) {
  FakeServer server;
  std::fill_n(server.memory.begin(), 0x2000, 0x00);
  Client client(server, quick());
  client.connect();
  const auto data = pattern(0x1800);
  client.flash_erase(server.base, 0x2000);
  client.flash_write(server.base, data);
  client.flash_done();
  EXPECT_EQ(std::vector<uint8_t>(server.memory.begin(), server.memory.begin() + 0x1800), data);
  EXPECT_EQ(server.memory[0x1800], 0xFF);
  EXPECT_EQ(server.counts["vFlashErase"], 1);
  EXPECT_EQ(server.counts["vFlashDone"], 1);
}

TEST(GdbClient, ErrorRepliesNameTheServerAndTheCommand) {
  FakeServer server;
  Client client(server, quick());
  client.connect();
  try {
    client.flash_erase(server.base + 0x10, 0x1000);  // not on a block boundary
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::device_error);
    EXPECT_EQ(std::string(e.what()), "GDB server at 127.0.0.1:9 answered E04 to vFlashErase of 4 KiB at 0x08000010");
  }
  try {
    client.read_memory(0x30000000, 4);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("E01 to a read of 4 bytes at 0x30000000"), std::string::npos) << e.what();
  }
}

TEST(GdbClient, SilenceIsATimeoutNamingTheServer) {
  FakeServer server;
  server.silent = true;
  Client client(server, quick());
  try {
    client.connect();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::timeout);
    EXPECT_NE(std::string(e.what()).find("GDB server at 127.0.0.1:9 did not answer qSupported"), std::string::npos) << e.what();
  }
}

TEST(GdbClient, MonitorCollectsConsoleOutput) {
  FakeServer server;
  Client client(server, quick());
  client.connect();
  EXPECT_EQ(client.monitor("reset run"), "resetting\n");
  ASSERT_EQ(server.monitor_log.size(), 1u);
  EXPECT_EQ(server.monitor_log[0], "reset run");
}

TEST(GdbClient, DetachFallsBackToTheProcessId) {
  FakeServer server;
  server.detach_needs_pid = true;
  Client client(server, quick());
  client.connect();
  client.detach();
  EXPECT_EQ(server.counts["D"], 2);
}

TEST(GdbClient, ParsesFeatureLists) {
  auto f = parse_features("PacketSize=4000;qXfer:memory-map:read+;QStartNoAckMode-;qXfer:features:read?;;junk");
  EXPECT_EQ(f.packet_size, 0x4000u);
  EXPECT_TRUE(f.supports("qXfer:memory-map:read"));
  EXPECT_FALSE(f.supports("QStartNoAckMode"));
  EXPECT_FALSE(f.supports("qXfer:features:read"));
  EXPECT_EQ(parse_features("PacketSize=zz").packet_size, 400u);
}

}  // namespace
}  // namespace omv::protocol::gdb::client_test
