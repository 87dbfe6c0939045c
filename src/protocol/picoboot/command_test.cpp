#include "protocol/picoboot/command.h"

#include <gtest/gtest.h>

#include <vector>

namespace omv::protocol::picoboot {
namespace {

std::vector<uint8_t> v(std::initializer_list<int> bytes) {
  std::vector<uint8_t> out;
  for (int b : bytes) out.push_back(static_cast<uint8_t>(b));
  out.resize(kCommandSize, 0);
  return out;
}

std::vector<uint8_t> bytes(const std::array<uint8_t, kCommandSize>& a) { return {a.begin(), a.end()}; }

// Vectors from the reference notes (protocols 7.6), token shown in each.
TEST(PicobootCommand, ExclusiveAccess) {
  EXPECT_EQ(bytes(encode(exclusive_access(1, Exclusive::exclusive))),
            v({0x0b, 0xd1, 0x1f, 0x43, 0x01, 0, 0, 0, 0x01, 0x01, 0, 0, 0, 0, 0, 0, 0x01}));
}

TEST(PicobootCommand, ExitXip) {
  EXPECT_EQ(bytes(encode(exit_xip(2))), v({0x0b, 0xd1, 0x1f, 0x43, 0x02, 0, 0, 0, 0x06, 0x00}));
}

TEST(PicobootCommand, FlashErase) {
  EXPECT_EQ(bytes(encode(flash_erase(3, 0x10000000, 0x1000))),
            v({0x0b, 0xd1, 0x1f, 0x43, 0x03, 0, 0, 0, 0x03, 0x08, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0x10, 0x00,
               0x10, 0x00, 0x00}));
}

TEST(PicobootCommand, Write) {
  EXPECT_EQ(bytes(encode(write(4, 0x10000000, 0x100))),
            v({0x0b, 0xd1, 0x1f, 0x43, 0x04, 0, 0, 0, 0x05, 0x08, 0, 0, 0x00, 0x01, 0, 0, 0x00, 0x00, 0x00, 0x10,
               0x00, 0x01, 0x00, 0x00}));
}

TEST(PicobootCommand, Read) {
  auto c = read(5, 0x10000000, 0x100);
  EXPECT_TRUE(c.is_in());
  EXPECT_EQ(bytes(encode(c)), v({0x0b, 0xd1, 0x1f, 0x43, 0x05, 0, 0, 0, 0x84, 0x08, 0, 0, 0x00, 0x01, 0, 0, 0x00,
                                 0x00, 0x00, 0x10, 0x00, 0x01, 0x00, 0x00}));
}

TEST(PicobootCommand, Reboot) {
  EXPECT_EQ(bytes(encode(reboot(6, 0, 0x20042000, 500))),
            v({0x0b, 0xd1, 0x1f, 0x43, 0x06, 0, 0, 0, 0x02, 0x0c, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0x00, 0x00,
               0x20, 0x04, 0x20, 0xf4, 0x01, 0x00, 0x00}));
}

TEST(PicobootCommand, Exec) {
  EXPECT_EQ(bytes(encode(exec(7, 0x20000001))),
            v({0x0b, 0xd1, 0x1f, 0x43, 0x07, 0, 0, 0, 0x08, 0x04, 0, 0, 0, 0, 0, 0, 0x01, 0x00, 0x00, 0x20}));
}

TEST(PicobootCommand, DecodeRoundTripsAndChecksTheMagic) {
  auto packet = encode(flash_erase(42, 0x10200000, 0x3000));
  auto back = decode(packet);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->token, 42u);
  EXPECT_EQ(back->id, 0x03);
  EXPECT_EQ(back->arg32(0), 0x10200000u);
  EXPECT_EQ(back->arg32(1), 0x3000u);
  packet[0] ^= 1;
  EXPECT_FALSE(decode(packet));
  EXPECT_FALSE(decode(std::span<const uint8_t>(packet.data(), 31)));
}

TEST(PicobootCommand, StatusByName) {
  // CMD_STATUS reply from the notes: token 4, status 0, command 5.
  const std::vector<uint8_t> reply{0x04, 0, 0, 0, 0, 0, 0, 0, 0x05, 0, 0, 0, 0, 0, 0, 0};
  auto s = decode_status(reply);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->token, 4u);
  EXPECT_EQ(s->code, 0u);
  EXPECT_EQ(s->command_id, 0x05);
  EXPECT_FALSE(s->in_progress);
  EXPECT_EQ(status_name(4), "INVALID_ADDRESS");
  EXPECT_EQ(status_name(5), "BAD_ALIGNMENT");
  EXPECT_EQ(status_name(17), "UNSUPPORTED_MODIFICATION");
  EXPECT_EQ(status_name(99), "status 99");
  EXPECT_FALSE(decode_status(std::vector<uint8_t>(15, 0)));
  auto enc = encode_status({7, 5, 0x05, true});
  EXPECT_EQ(decode_status(enc)->code, 5u);
  EXPECT_TRUE(decode_status(enc)->in_progress);
}

TEST(PicobootCommand, Rp2040Rules) {
  EXPECT_EQ(rp2040_rule(0x84)->args_size, 8);
  EXPECT_TRUE(rp2040_rule(0x84)->transfer_is_size);
  EXPECT_EQ(rp2040_rule(0x02)->args_size, 12);
  EXPECT_FALSE(rp2040_rule(0x0A));  // REBOOT2 is RP2350-only
  EXPECT_STREQ(command_name(0x8B), "GET_INFO");
}

}  // namespace
}  // namespace omv::protocol::picoboot
