#include "sim/gadget/vhci_port.h"

#include <gtest/gtest.h>

namespace omv::sim::gadget::usbip {
namespace {

TEST(Usbip, ParsesAControlSubmit) {
  // CMD_SUBMIT seq 7, devid 0x00010002, IN, ep 0, flags 0x200, 255 bytes, GET_DESCRIPTOR(STRING 2).
  const std::array<uint8_t, kHeaderSize> h{
      0, 0, 0, 1,   0, 0, 0, 7,   0, 1, 0, 2,   0, 0, 0, 1,   0, 0, 0, 0,     // basic header
      0, 0, 2, 0,   0, 0, 0, 255, 0, 0, 0, 0,   0, 0, 0, 0,   0, 0, 0, 0,     // flags, length, frame, packets, interval
      0x80, 0x06, 0x02, 0x03, 0x09, 0x04, 0xFF, 0x00};
  const auto c = parse_command(h);
  EXPECT_EQ(c.command, kCmdSubmit);
  EXPECT_EQ(c.seqnum, 7u);
  EXPECT_EQ(c.devid, 0x00010002u);
  EXPECT_EQ(c.direction, 1u);
  EXPECT_EQ(c.endpoint, 0u);
  EXPECT_EQ(c.transfer_length, 255u);
  EXPECT_EQ(c.number_of_packets, 0u);
  EXPECT_EQ(c.setup[0], 0x80);
  EXPECT_EQ(c.setup[3], 0x03);
  EXPECT_EQ(c.setup[6], 0xFF);
}

TEST(Usbip, ParsesAnUnlink) {
  std::array<uint8_t, kHeaderSize> h{};
  h[3] = 2;
  h[7] = 9;
  h[23] = 5;
  const auto c = parse_command(h);
  EXPECT_EQ(c.command, kCmdUnlink);
  EXPECT_EQ(c.seqnum, 9u);
  EXPECT_EQ(c.unlink_seqnum, 5u);
}

TEST(Usbip, RetSubmitCarriesStatusLengthAndData) {
  const std::vector<uint8_t> data{0xAA, 0xBB, 0xCC};
  const auto r = ret_submit(0x01020304, 0, data, 3);
  ASSERT_EQ(r.size(), kHeaderSize + 3);
  EXPECT_EQ(std::vector<uint8_t>(r.begin(), r.begin() + 8), (std::vector<uint8_t>{0, 0, 0, 3, 1, 2, 3, 4}));
  EXPECT_EQ(std::vector<uint8_t>(r.begin() + 20, r.begin() + 28), (std::vector<uint8_t>{0, 0, 0, 0, 0, 0, 0, 3}));
  EXPECT_EQ(std::vector<uint8_t>(r.begin() + 28, r.begin() + 48), std::vector<uint8_t>(20, 0));
  EXPECT_EQ(std::vector<uint8_t>(r.end() - 3, r.end()), data);
}

TEST(Usbip, AStallIsMinusEpipe) {
  const auto r = ret_submit(1, -32, {}, 0);
  ASSERT_EQ(r.size(), kHeaderSize);
  EXPECT_EQ(std::vector<uint8_t>(r.begin() + 20, r.begin() + 24), (std::vector<uint8_t>{0xFF, 0xFF, 0xFF, 0xE0}));
}

TEST(Usbip, RetUnlink) {
  const auto r = ret_unlink(11, 0);
  ASSERT_EQ(r.size(), kHeaderSize);
  EXPECT_EQ(r[3], 4);
  EXPECT_EQ(r[7], 11);
}

TEST(Usbip, FindsTheFirstFreeHighSpeedPort) {
  const std::string status =
      "hub port sta spd dev      sockfd local_busid\n"
      "hs  0000 006 002 00010002 000004 0-0\n"
      "hs  0001 004 000 00000000 000000 0-0\n"
      "ss  0015 004 000 00000000 000000 0-0\n";
  EXPECT_EQ(free_port(status), 1);
  EXPECT_EQ(free_port("hub port sta\nhs  0000 006 002 00010002 000004 0-0\nss  0015 004 000 0 0 0-0\n"), -1);
  EXPECT_EQ(free_port("garbage\nhs x y\n"), -1);
}

}  // namespace
}  // namespace omv::sim::gadget::usbip
