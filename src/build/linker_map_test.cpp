#include "build/linker_map.h"

#include <gtest/gtest.h>

namespace omv::build {
namespace {

TEST(LinkerMap, ReadsTheMemoryConfiguration) {
  const char* text =
      "Archive member included to satisfy reference by file (symbol)\n\n"
      "Memory Configuration\n\n"
      "Name             Origin             Length             Attributes\n"
      "DTCM             0x0000000020000000 0x0000000000020000 xrw\n"
      "FLASH_TEXT       0x0000000008040000 0x00000000001a0000 xr\n"
      "SRAM1            0x30000000         0x00048000         rw\n"
      "*default*        0x0000000000000000 0xffffffffffffffff\n\n"
      "Linker script and memory map\n\n"
      "NOTREGION        0x1 0x2 rw\n";
  auto r = parse_map_regions(text);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].name, "DTCM");
  EXPECT_EQ(r[0].origin, 0x20000000u);
  EXPECT_EQ(r[0].length, 0x20000u);
  EXPECT_EQ(r[0].attributes, "xrw");
  EXPECT_EQ(r[1].name, "FLASH_TEXT");
  EXPECT_EQ(r[1].length, 0x1a0000u);
  EXPECT_EQ(r[2].origin, 0x30000000u);
}

TEST(LinkerMap, NoTableNoRegions) {
  EXPECT_TRUE(parse_map_regions("").empty());
  EXPECT_TRUE(parse_map_regions("Memory Configuration\n\ngarbage here\n").empty());
}

}  // namespace
}  // namespace omv::build
