#include "protocol/gdb/packet.h"

#include <gtest/gtest.h>

namespace omv::protocol::gdb::packet_test {
namespace {

std::vector<uint8_t> bytes_of(std::string_view s) { return {s.begin(), s.end()}; }

TEST(GdbPacket, ChecksumsOfTheSpecExamples) {
  EXPECT_EQ(frame("qSupported"), "$qSupported#37");
  EXPECT_EQ(frame("OK"), "$OK#9a");
  EXPECT_EQ(frame("QStartNoAckMode"), "$QStartNoAckMode#b0");
  EXPECT_EQ(frame("vFlashDone"), "$vFlashDone#ea");
  EXPECT_EQ(frame(""), "$#00");
}

TEST(GdbPacket, EscapesTheFourSpecialBytesBothWays) {
  const std::vector<uint8_t> data = {0x7d, 0x23, 0x24, 0x2a, 0x03, 0x00, 0xff, 0x41};
  const auto escaped = escape_binary(data);
  EXPECT_EQ(escaped, std::string("}]}\x03}\x04}\x0a\x03\x00\xff" "A", 12));
  EXPECT_EQ(unescape_binary(escaped), data);
  EXPECT_EQ(unescape_binary("abc}"), std::nullopt);
}

TEST(GdbPacket, ExpandsRunsAsTheSpecSays) {
  EXPECT_EQ(expand_runs("0* "), "0000");
  EXPECT_EQ(expand_runs("0*\"00"), "00000000");
  EXPECT_EQ(expand_runs("OK"), "OK");
  EXPECT_EQ(expand_runs("*a"), std::nullopt);    // nothing to repeat
  EXPECT_EQ(expand_runs("a*"), std::nullopt);    // no count
  EXPECT_EQ(expand_runs("a*\x1f"), std::nullopt);  // count below three
}

TEST(GdbPacket, HexBothWays) {
  EXPECT_EQ(to_hex(std::string_view("reset")), "7265736574");
  EXPECT_EQ(from_hex("00fF7e"), (std::vector<uint8_t>{0x00, 0xff, 0x7e}));
  EXPECT_EQ(from_hex("0"), std::nullopt);
  EXPECT_EQ(from_hex("zz"), std::nullopt);
  EXPECT_EQ(parse_hex_number("8000000"), 0x8000000u);
  EXPECT_EQ(parse_hex_number(""), std::nullopt);
  EXPECT_EQ(parse_hex_number("11112222333344445"), std::nullopt);
}

TEST(GdbPacket, ReaderSplitsAcksPacketsAndInterrupts) {
  PacketReader r;
  auto in = bytes_of("+junk$OK#9a-\x03$O");
  r.feed(in);
  auto a = r.next();
  ASSERT_TRUE(a);
  EXPECT_EQ(a->kind, Incoming::Kind::ack);
  auto p = r.next();
  ASSERT_TRUE(p);
  EXPECT_EQ(p->kind, Incoming::Kind::packet);
  EXPECT_EQ(p->payload, "OK");
  EXPECT_TRUE(p->checksum_ok);
  EXPECT_EQ(r.next()->kind, Incoming::Kind::nak);
  EXPECT_EQ(r.next()->kind, Incoming::Kind::interrupt);
  EXPECT_FALSE(r.next());  // "$O" is not complete yet
  auto rest = bytes_of("K#9b");
  r.feed(rest);
  auto bad = r.next();
  ASSERT_TRUE(bad);
  EXPECT_EQ(bad->payload, "OK");
  EXPECT_FALSE(bad->checksum_ok);
}

TEST(GdbPacket, ReaderRestartsOnADollarInsideAPacket) {
  PacketReader r;
  auto in = bytes_of("$abc$OK#9a");
  r.feed(in);
  auto p = r.next();
  ASSERT_TRUE(p);
  EXPECT_EQ(p->payload, "OK");
  EXPECT_TRUE(p->checksum_ok);
}

TEST(GdbPacket, ReaderDropsAPacketThatNeverEnds) {
  PacketReader r;
  std::vector<uint8_t> huge(PacketReader::kMaxPacket + 10, 'a');
  huge[0] = '$';
  r.feed(huge);
  EXPECT_FALSE(r.next());
  EXPECT_TRUE(r.overflowed());
}

TEST(GdbPacket, RunsEncodeAndExpandBackToEveryLength) {
  for (size_t n = 1; n < 300; ++n) {
    const std::string text = "a" + std::string(n, '0') + "b" + std::string(n, '#');
    const std::string encoded = encode_runs(text);
    EXPECT_EQ(expand_runs(encoded), text) << n;
    EXPECT_EQ(encoded.find_first_of("$}"), std::string::npos) << n;
    if (n >= 9) {  // runs of 7 and 8 would need the counts '#' and '$'
      EXPECT_LT(encoded.size(), text.size()) << n;
    }
  }
}

}  // namespace
}  // namespace omv::protocol::gdb::packet_test
