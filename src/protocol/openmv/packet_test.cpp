#include "protocol/openmv/packet.h"

#include <gtest/gtest.h>

#include <string>

#include "protocol/openmv/crc.h"
#include "protocol/openmv/legacy.h"
#include "protocol/openmv/probe.h"

namespace omv::protocol::openmv {
namespace {

std::vector<uint8_t> bytes(std::initializer_list<int> list) {
  std::vector<uint8_t> out;
  for (int b : list) out.push_back(static_cast<uint8_t>(b));
  return out;
}

std::span<const uint8_t> text(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

TEST(OpenmvCrc, CheckValues) {
  EXPECT_EQ(crc16(text("123456789")), 0xE541);
  EXPECT_EQ(crc32(text("123456789")), 0x41B403D3u);
  EXPECT_EQ(crc16({}), 0xFFFF);
}

TEST(OpenmvPacket, EncodesTheReferenceVectors) {
  EXPECT_EQ(encode(make_command(Opcode::proto_sync, 0)), bytes({0xaa, 0xd5, 0, 0, 0, 0x00, 0, 0, 0xb0, 0xac}));
  EXPECT_EQ(encode(make_command(Opcode::sys_boot, 0)), bytes({0xaa, 0xd5, 0, 0, 0, 0x11, 0, 0, 0xcf, 0x2f}));
  EXPECT_EQ(encode(make_command(Opcode::sys_boot, 5)), bytes({0xaa, 0xd5, 5, 0, 0, 0x11, 0, 0, 0xf6, 0x2c}));
  EXPECT_EQ(encode(make_command(Opcode::sys_reset, 0)), bytes({0xaa, 0xd5, 0, 0, 0, 0x10, 0, 0, 0xbc, 0x5e}));
}

TEST(OpenmvPacket, PayloadCarriesCrc32Trailer) {
  const auto wire = encode(make_command(Opcode::proto_sync, 0, {0, 0, 0, 0}));
  ASSERT_EQ(wire.size(), 18u);
  EXPECT_EQ(wire[6], 4);
  const uint32_t trailer = wire[14] | (wire[15] << 8) | (wire[16] << 16) | (static_cast<uint32_t>(wire[17]) << 24);
  EXPECT_EQ(trailer, crc32(std::span<const uint8_t>(wire).subspan(10, 4)));
}

TEST(OpenmvPacket, RoundTrip) {
  Packet p = make_command(Opcode::proto_version, 7, {1, 2, 3}, 0);
  p.flags = flags::ack_req;
  auto decoded = decode(encode(p));
  ASSERT_TRUE(decoded);
  EXPECT_EQ(*decoded, p);
}

TEST(OpenmvPacket, DecodeRejectsDefects) {
  auto wire = encode(make_command(Opcode::proto_version, 1, {9, 9}));
  auto bad_header = wire;
  bad_header[2] ^= 1;
  EXPECT_FALSE(decode(bad_header));
  auto bad_payload = wire;
  bad_payload[10] ^= 1;
  EXPECT_FALSE(decode(bad_payload));
  auto truncated = wire;
  truncated.pop_back();
  EXPECT_FALSE(decode(truncated));
  auto trailing = wire;
  trailing.push_back(0);
  EXPECT_FALSE(decode(trailing));
}

TEST(OpenmvPacketReader, FindsPacketsInNoiseAndAcrossChunks) {
  PacketReader reader;
  auto a = encode(make_command(Opcode::proto_sync, 0));
  auto b = encode(make_command(Opcode::proto_version, 1, {1, 0, 2, 1, 0, 3, 5, 0, 0}));
  std::vector<uint8_t> stream = bytes({'>', '>', '>', ' ', 0xaa, 0x00, 0xaa});
  stream.insert(stream.end(), a.begin(), a.end());
  stream.insert(stream.end(), b.begin(), b.end());
  for (size_t i = 0; i < stream.size(); i += 3)
    reader.feed(std::span<const uint8_t>(stream).subspan(i, std::min<size_t>(3, stream.size() - i)));
  auto first = reader.next();
  ASSERT_TRUE(first);
  EXPECT_EQ(first->packet.opcode, 0);
  auto second = reader.next();
  ASSERT_TRUE(second);
  EXPECT_TRUE(second->payload_ok);
  EXPECT_EQ(second->packet.payload.size(), 9u);
  EXPECT_FALSE(reader.next());
  EXPECT_EQ(reader.skipped(), 7u);
}

TEST(OpenmvPacketReader, ReportsBadPayloadCrc) {
  PacketReader reader;
  auto wire = encode(make_command(Opcode::proto_version, 1, {1, 2, 3, 4}));
  wire[wire.size() - 1] ^= 0xFF;
  reader.feed(wire);
  auto item = reader.next();
  ASSERT_TRUE(item);
  EXPECT_FALSE(item->payload_ok);
  EXPECT_EQ(reader.buffered(), 0u);
}

TEST(OpenmvPacketReader, SyncRescuesAStalledPacket) {
  // A header announcing 100 bytes that never come, then a PROTO_SYNC: the sync is not lost.
  PacketReader reader;
  Packet big = make_command(Opcode::proto_version, 0, std::vector<uint8_t>(100, 1));
  auto wire = encode(big);
  wire.resize(20);
  auto sync = encode(make_command(Opcode::proto_sync, 0));
  reader.feed(wire);
  EXPECT_FALSE(reader.next());
  reader.feed(sync);
  auto item = reader.next();
  ASSERT_TRUE(item);
  EXPECT_EQ(item->packet.opcode, 0);
}

TEST(OpenmvPacketReader, OversizedLengthIsACorruptHeader) {
  std::vector<uint8_t> h = {0xaa, 0xd5, 0, 0, 0, 4, 0xff, 0xff};
  const uint16_t c = crc16(h);
  h.push_back(static_cast<uint8_t>(c & 0xFF));
  h.push_back(static_cast<uint8_t>(c >> 8));
  PacketReader reader;
  reader.feed(h);
  EXPECT_FALSE(reader.next());
  EXPECT_EQ(reader.bad_headers(), 1u);
}

TEST(OpenmvPacket, VersionPayload) {
  VersionInfo v{{1, 0, 2}, {1, 0, 1}, {5, 0, 0}};
  auto payload = encode_version_payload(v);
  ASSERT_EQ(payload.size(), 16u);
  auto back = decode_version_payload(payload);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->bootloader, (Version{1, 0, 1}));
  EXPECT_LT(back->bootloader, Version(1, 0, 2));
  EXPECT_EQ(back->firmware.str(), "5.0.0");
}

TEST(OpenmvLegacy, Commands) {
  auto reset = legacy::encode(legacy::Command::sys_reset_to_bootloader, 0);
  EXPECT_EQ(std::vector<uint8_t>(reset.begin(), reset.end()), bytes({0x30, 0x0E, 0, 0, 0, 0}));
  auto plain = legacy::encode(legacy::Command::sys_reset, 0);
  EXPECT_EQ(std::vector<uint8_t>(plain.begin(), plain.end()), bytes({0x30, 0x0C, 0, 0, 0, 0}));
  auto fw = legacy::encode(legacy::Command::fw_version, 12);
  EXPECT_EQ(std::vector<uint8_t>(fw.begin(), fw.end()), bytes({0x30, 0x80, 0x0C, 0, 0, 0}));
  auto v = legacy::decode_fw_version(legacy::encode_fw_version({4, 8, 1}));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->minor, 8u);
}

TEST(OpenmvProbe, Bytes) {
  EXPECT_EQ(combined_probe(), bytes({0x30, 0x87, 0x04, 0, 0, 0, 0xaa, 0xd5, 0, 0, 0, 0, 4, 0, 0x04, 0xb5, 0, 0, 0, 0,
                                     0x75, 0xca, 0x70, 0xff}));
}

TEST(OpenmvProbe, Classification) {
  using Kind = ProbeVerdict::Kind;
  EXPECT_EQ(classify_probe_reply({}, false).kind, Kind::undecided);
  EXPECT_EQ(classify_probe_reply({}, true).kind, Kind::silence);
  EXPECT_EQ(classify_probe_reply(bytes({0, 0, 0, 0}), false).kind, Kind::legacy);
  EXPECT_EQ(classify_probe_reply(bytes({1, 0, 0, 0}), false).kind, Kind::legacy);
  EXPECT_EQ(classify_probe_reply(bytes({1, 0}), false).kind, Kind::undecided);
  auto ack = make_command(Opcode::proto_sync, 0);
  ack.flags = flags::ack;
  auto wire = encode(ack);
  EXPECT_EQ(classify_probe_reply(wire, false).kind, Kind::protocol);
  EXPECT_EQ(classify_probe_reply(std::span<const uint8_t>(wire).first(6), false).kind, Kind::undecided);
  EXPECT_EQ(classify_probe_reply(std::span<const uint8_t>(wire).first(6), true).kind, Kind::garbage);
  EXPECT_EQ(classify_probe_reply(combined_probe(), false).kind, Kind::echo);
  EXPECT_EQ(classify_probe_reply(bytes({'H', 'e', 'l', 'l', 'o'}), false).kind, Kind::garbage);
  EXPECT_EQ(classify_probe_reply(bytes({'>'}), true).kind, Kind::garbage);
}

}  // namespace
}  // namespace omv::protocol::openmv
