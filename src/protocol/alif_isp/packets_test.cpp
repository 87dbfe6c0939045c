// The Alif ISP packets against the reference's byte vectors (alif-isp.md §2), and the replies.
#include <gtest/gtest.h>

#include "core/error.h"
#include "protocol/alif_isp/packets.h"
#include "protocol/alif_isp/replies.h"

namespace omv::protocol::alif_isp {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes words(Command c, std::initializer_list<uint32_t> w) { return encode(c, std::vector<uint32_t>(w)); }

TEST(AlifIspPackets, MatchTheToolkitsBytes) {
  EXPECT_EQ(encode(Command::start), (Bytes{0x03, 0x00, 0xFD}));
  EXPECT_EQ(encode(Command::stop), (Bytes{0x03, 0x01, 0xFC}));
  EXPECT_EQ(encode(Command::reset), (Bytes{0x03, 0x09, 0xF4}));
  EXPECT_EQ(encode(Command::enquiry), (Bytes{0x03, 0x0F, 0xEE}));
  EXPECT_EQ(encode(Command::set_maintenance_flag), (Bytes{0x03, 0x16, 0xE7}));
  EXPECT_EQ(encode(Command::download_done), (Bytes{0x03, 0x05, 0xF8}));
  EXPECT_EQ(encode_get(GetObject::revision), (Bytes{0x07, 0x14, 0x02, 0x00, 0x00, 0x00, 0xE3}));
  EXPECT_EQ(encode_get(GetObject::banner), (Bytes{0x07, 0x14, 0x04, 0x00, 0x00, 0x00, 0xE1}));
  EXPECT_EQ(encode_get(GetObject::toc_info), (Bytes{0x07, 0x14, 0x01, 0x00, 0x00, 0x00, 0xE4}));
  EXPECT_EQ(words(Command::set_baud_rate, {921600}), (Bytes{0x07, 0x11, 0x00, 0x10, 0x0E, 0x00, 0xCA}));
  EXPECT_EQ(words(Command::set_baud_rate, {55000}), (Bytes{0x07, 0x11, 0xD8, 0xD6, 0x00, 0x00, 0x3A}));
  EXPECT_EQ(words(Command::burn_mram, {0x8057E000, 0x2000}),
            (Bytes{0x0B, 0x08, 0x00, 0xE0, 0x57, 0x80, 0x00, 0x20, 0x00, 0x00, 0x16}));
  Bytes ack{0x03, 0xFE};
  EXPECT_EQ(checksum(ack), 0xFF);
  auto data = encode_download_data(Bytes(240, 0xAB));
  EXPECT_EQ(data.size(), 245u);
  EXPECT_EQ(data[0], 245);
  EXPECT_EQ(data[2], 0x55);
  EXPECT_EQ(data[3], 0x55);
}

TEST(AlifIspPackets, ReaderSplitsAStreamAndChecksEachPacket) {
  PacketReader r;
  Bytes stream{0x03, 0xFE, 0xFF, 0x06, 0x0C, 'h', 'i', 0x00};
  stream.push_back(checksum(std::span<const uint8_t>(stream).subspan(3)));
  r.feed(std::span<const uint8_t>(stream).first(4));
  auto ack = r.next();
  ASSERT_TRUE(ack);
  EXPECT_EQ(ack->kind, kAck);
  EXPECT_FALSE(r.next());  // the print packet is not complete yet
  r.feed(std::span<const uint8_t>(stream).subspan(4));
  auto print = r.next();
  ASSERT_TRUE(print);
  EXPECT_EQ(payload_text(print->payload()), "hi");

  PacketReader bad;
  bad.feed(Bytes{0x03, 0xFE, 0xFF, 0x04, 0xFF, 0xF8, 0x00});
  EXPECT_TRUE(bad.next());
  EXPECT_FALSE(bad.next());
  EXPECT_EQ(bad.error(), "byte 6 of the reply stream: NAK packet of 4 bytes has checksum 0x00, expected 0x05");
  PacketReader short_length;
  short_length.feed(Bytes{0x02, 0x00});
  EXPECT_FALSE(short_length.next());
  EXPECT_NE(short_length.error().find("packet length 2"), std::string::npos);
}

Packet packet(Bytes b) {
  b[0] = static_cast<uint8_t>(b.size() + 1);
  b.push_back(checksum(b));
  PacketReader r;
  r.feed(b);
  return *r.next();
}

TEST(AlifIspReplies, RevisionEnquiryAndTocEntries) {
  Bytes rev(135, 0);
  rev[1] = kDataResponse;
  rev[3] = 0xB4;
  const std::string part = "AE302F80F55D5AE";
  std::copy(part.begin(), part.end(), rev.begin() + 6);
  for (int i = 0; i < 8; ++i) rev[126 + i] = static_cast<uint8_t>(0xA0 + i);
  rev[134] = 1;
  auto r = parse_revision(packet(rev));
  EXPECT_EQ(r.revision_name(), "B4");
  EXPECT_EQ(r.part, part);
  EXPECT_EQ(r.serial_hex(), "A0A1A2A3A4A5A6A7");
  EXPECT_EQ(r.lifecycle_name(), "DM");
  Bytes too_short(rev.begin(), rev.end() - 1);
  EXPECT_THROW(parse_revision(packet(too_short)), Error);

  Bytes enq(15, 0);
  enq[1] = kDataResponse;
  enq[2] = 0x03;  // both bits: SERAM wins
  enq[11] = 1;
  auto e = parse_enquiry(packet(enq));
  EXPECT_EQ(e.stage, Stage::seram);
  EXPECT_TRUE(e.maintenance);
  enq[2] = 0x01;
  enq[3] = 0x26;
  e = parse_enquiry(packet(enq));
  EXPECT_EQ(e.stage, Stage::serom);
  EXPECT_EQ(e.error, 0x26u);
  EXPECT_FALSE(e.maintenance);

  Bytes toc(3 + 47, 0);
  toc[1] = kDataResponse;
  toc[2] = kTocEntryMarker;
  const std::string name = "HP_BOOT";
  std::copy(name.begin(), name.end(), toc.begin() + 3);
  toc[3 + 8] = 2;  // M55_HP
  toc[3 + 35] = 1;  // version 1.0.0
  const std::string flags = "uLVB";
  std::copy(flags.begin(), flags.end(), toc.begin() + 3 + 40);
  TocEntry t;
  ASSERT_TRUE(parse_toc_entry(packet(toc), t));
  EXPECT_EQ(t.name, "HP_BOOT");
  EXPECT_EQ(t.cpu, 2u);
  EXPECT_EQ(t.version_text(), "1.0.0");
  EXPECT_EQ(t.flags, "uLVB");
  EXPECT_FALSE(parse_toc_entry(packet(Bytes{0, kAck}), t));

  auto refused = packet(Bytes{0, kNak, 0xF8});
  try {
    parse_enquiry(refused);
    ADD_FAILURE() << "a NAK parsed as an enquiry";
  } catch (const Error& err) {
    EXPECT_NE(std::string(err.what()).find("BAD_PACKET_SIZE (0xF8)"), std::string::npos) << err.what();
  }
}

}  // namespace
}  // namespace omv::protocol::alif_isp
