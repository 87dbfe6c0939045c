#include "protocol/samba/frames.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "protocol/samba/crc16.h"

namespace omv::protocol::samba {
namespace {

std::vector<uint8_t> bytes(const std::string& s) { return {s.begin(), s.end()}; }

TEST(SambaFrames, CommandsAreSpelledAsBossacSpellsThem) {
  EXPECT_EQ(cmd::set_binary(), "N#");
  EXPECT_EQ(cmd::version(), "V#");
  EXPECT_EQ(cmd::identify(), "I#");
  EXPECT_EQ(cmd::reset(), "K#");
  EXPECT_EQ(cmd::write(0x34, 0x1000), "S00000034,00001000#");
  EXPECT_EQ(cmd::write(0x20004000, 0x34), "S20004000,00000034#");
  EXPECT_EQ(cmd::read(0x16040, 0x3F), "R00016040,0000003F#");
  EXPECT_EQ(cmd::write_word(0x30, 0x400), "W00000030,00000400#");
  EXPECT_EQ(cmd::write_word(0xE000ED0C, 0x05FA0004), "WE000ED0C,05FA0004#");
  EXPECT_EQ(cmd::read_word(0xE000ED00), "wE000ED00,4#");
  EXPECT_EQ(cmd::go(0x20004000), "G20004000#");
  EXPECT_EQ(cmd::erase_from(0x16000), "X00016000#");
  EXPECT_EQ(cmd::buffer_source(0x34), "Y00000034,0#");
  EXPECT_EQ(cmd::buffer_copy(0x16000, 0x1000), "Y00016000,00001000#");
  EXPECT_EQ(cmd::checksum(0x16000, 0x1000), "Z00016000,00001000#");
}

TEST(SambaFrames, Crc16XmodemVectors) {
  const auto check = bytes("123456789");
  EXPECT_EQ(crc16_xmodem(check), 0x31C3);
  EXPECT_EQ(crc16_xmodem(std::vector<uint8_t>(4096, 0xFF)), 0xE03E);
  EXPECT_EQ(crc16_xmodem(std::vector<uint8_t>(4096, 0x00)), 0x0000);
  EXPECT_EQ(crc16_xmodem({}), 0x0000);
  // Incremental use gives the same answer.
  const std::vector<uint8_t> a(check.begin(), check.begin() + 4), b(check.begin() + 4, check.end());
  EXPECT_EQ(crc16_xmodem(b, crc16_xmodem(a)), 0x31C3);
}

TEST(SambaFrames, VersionOfTheNano33Bootloader) {
  auto v = parse_version(bytes("Arduino Bootloader (SAM-BA extended) 2.0 [Arduino:IKXYZ]\n\r"));
  ASSERT_TRUE(v);
  EXPECT_EQ(v->text, "Arduino Bootloader (SAM-BA extended) 2.0 [Arduino:IKXYZ]");
  EXPECT_TRUE(v->arduino && v->chip_erase && v->write_buffer && v->checksum && v->identify && v->reset);
}

TEST(SambaFrames, VersionWithoutExtensions) {
  auto v = parse_version(bytes("v1.1 Dec 15 2010 19:25:04\n\r"));
  ASSERT_TRUE(v);
  EXPECT_FALSE(v->arduino || v->chip_erase || v->write_buffer || v->checksum || v->identify || v->reset);
  auto xyz = parse_version(bytes("v2.0 [Arduino:XYZ] Dec 20 2016 15:36:43\n\r"));
  ASSERT_TRUE(xyz);
  EXPECT_TRUE(xyz->chip_erase && xyz->write_buffer && xyz->checksum);
  EXPECT_FALSE(xyz->identify || xyz->reset);
}

TEST(SambaFrames, BadVersionsAreRejected) {
  EXPECT_FALSE(parse_version(bytes("")));
  EXPECT_FALSE(parse_version(bytes("\n\r")));                          // empty text
  EXPECT_FALSE(parse_version(bytes("Arduino Bootloader")));            // no terminator
  EXPECT_FALSE(parse_version(bytes("v1.0 [Arduino:XYZ\n\r")));         // unclosed tag
  EXPECT_FALSE(parse_version(std::vector<uint8_t>{'v', 0x00, 0x80, '\n', '\r'}));  // binary junk
  EXPECT_FALSE(parse_version(bytes(std::string(300, 'a') + "\n\r")));  // too long
}

TEST(SambaFrames, ChecksumReplies) {
  EXPECT_EQ(parse_checksum(bytes("Z0000E03E#\n\r")), std::optional<uint16_t>(0xE03E));
  EXPECT_EQ(parse_checksum(bytes("Z000031c3#\n\r")), std::optional<uint16_t>(0x31C3));
  EXPECT_FALSE(parse_checksum(bytes("Z0001E03E#\n\r")));  // more than 16 bits
  EXPECT_FALSE(parse_checksum(bytes("Z0000E03G#\n\r")));
  EXPECT_FALSE(parse_checksum(bytes("Y0000E03E#\n\r")));
  EXPECT_FALSE(parse_checksum(bytes("Z0000E03E\n\r")));
  EXPECT_FALSE(parse_checksum(bytes("Z0000E03E#\r\n")));
}

TEST(SambaFrames, Acks) {
  EXPECT_TRUE(is_ack(bytes("X\n\r"), 'X'));
  EXPECT_TRUE(is_ack(bytes("Y\n\r"), 'Y'));
  EXPECT_FALSE(is_ack(bytes("Y\n\r"), 'X'));
  EXPECT_FALSE(is_ack(bytes("X\r\n"), 'X'));
  EXPECT_FALSE(is_ack(bytes("X\n"), 'X'));
  EXPECT_FALSE(is_ack(bytes("E\n\r"), 'Y'));
}

TEST(SambaFrames, HexPreview) {
  EXPECT_EQ(hex_preview(bytes("X\n\r")), "58 0a 0d");
  EXPECT_EQ(hex_preview({}), "nothing");
  EXPECT_NE(hex_preview(std::vector<uint8_t>(40, 1)).find("(40 bytes)"), std::string::npos);
}

}  // namespace
}  // namespace omv::protocol::samba
