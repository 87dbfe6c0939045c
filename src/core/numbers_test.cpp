#include "core/numbers.h"

#include <gtest/gtest.h>

namespace omv {

TEST(Numbers, ParsesDecimalHexAndSuffixes) {
  EXPECT_EQ(parse_u64("4096"), 4096u);
  EXPECT_EQ(parse_u64("0x08040000"), 0x08040000u);
  EXPECT_EQ(parse_u64("0XFF"), 0xFFu);
  EXPECT_EQ(parse_u64("128K"), 128u * 1024);
  EXPECT_EQ(parse_u64("16M"), 16u * 1024 * 1024);
  EXPECT_EQ(parse_u64("1_000"), 1000u);
}

TEST(Numbers, RejectsGarbageAndOverflow) {
  EXPECT_FALSE(parse_u64(""));
  EXPECT_FALSE(parse_u64("0x"));
  EXPECT_FALSE(parse_u64("12a"));
  EXPECT_FALSE(parse_u64("-1"));
  EXPECT_FALSE(parse_u64("0x1FFFFFFFFFFFFFFFFF"));
  EXPECT_FALSE(parse_u64("99999999999999999999"));
  EXPECT_FALSE(parse_u64("17179869184G"));
}

TEST(Numbers, UsbIds) {
  auto id = parse_usb_id("37c5:9204");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->vid, 0x37C5);
  EXPECT_EQ(id->pid, 0x9204);
  EXPECT_EQ(format_usb_id(*id), "37C5:9204");
  EXPECT_TRUE(parse_usb_id("0x2341:0x035b"));
  EXPECT_FALSE(parse_usb_id("37C5"));
  EXPECT_FALSE(parse_usb_id("37C5:"));
  EXPECT_FALSE(parse_usb_id("137C5:1"));
  EXPECT_FALSE(parse_usb_id("zz:11"));
}

TEST(Numbers, HumanSizes) {
  EXPECT_EQ(human_size(512), "512 B");
  EXPECT_EQ(human_size(128 * 1024), "128 KiB");
  EXPECT_EQ(human_size(32 * 1024 * 1024), "32 MiB");
  EXPECT_EQ(human_size(1703936), "1.6 MiB");
  EXPECT_EQ(hex32(0x08000000), "0x08000000");
}

}  // namespace omv
