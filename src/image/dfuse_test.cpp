#include "image/dfuse.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace omv::image {
namespace {

const std::vector<uint8_t> kData = {0xDE, 0xAD, 0xBE, 0xEF};

std::vector<uint8_t> example_b() {
  DfuSuffix s;
  s.vendor = 0x0483;
  s.product = 0xDF11;
  s.bcd_device = 0;
  return build_dfuse({{0, "ST...", {{0x08000000, kData}}}}, s);
}

TEST(Dfuse, WorkedExampleB) {
  // protocols.md 2.6 example B: 313 bytes, identical to dfuse-pack. (The reference's offset
  // annotations after the name are 4 bytes high; its bytes and total size are right.)
  auto f = example_b();
  ASSERT_EQ(f.size(), 313u);
  const std::vector<uint8_t> prefix = {0x44, 0x66, 0x75, 0x53, 0x65, 0x01, 0x39, 0x01, 0x00, 0x00, 0x01,
                                       0x54, 0x61, 0x72, 0x67, 0x65, 0x74, 0x00, 0x01, 0x00, 0x00, 0x00,
                                       0x53, 0x54, 0x2e, 0x2e, 0x2e, 0x00};
  EXPECT_TRUE(std::equal(prefix.begin(), prefix.end(), f.begin()));
  const std::vector<uint8_t> tail = {0x0c, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08,
                                     0x04, 0x00, 0x00, 0x00, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x11, 0xdf,
                                     0x83, 0x04, 0x1a, 0x01, 0x55, 0x46, 0x44, 0x10, 0x11, 0xad, 0x1a, 0xbb};
  EXPECT_TRUE(std::equal(tail.begin(), tail.end(), f.begin() + 0x115));
  EXPECT_EQ(f.size(), 0x115u + tail.size());
}

TEST(Dfuse, ParsesWhatItBuilds) {
  auto f = example_b();
  auto file = parse_dfuse(ByteView(f, {"b.dfu", "DfuSe"}));
  ASSERT_EQ(file.targets.size(), 1u);
  EXPECT_EQ(file.targets[0].name, "ST...");
  ASSERT_EQ(file.targets[0].elements.size(), 1u);
  EXPECT_EQ(file.targets[0].elements[0].address, 0x08000000u);
  EXPECT_EQ(file.targets[0].elements[0].data_offset, 0x125u);
  EXPECT_TRUE(file.suffix.crc_ok());
  EXPECT_TRUE(file.warnings.empty());
  auto segs = dfuse_segments(file, f);
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].data, kData);
  EXPECT_EQ(segs[0].alt, 0);
}

TEST(Dfuse, HugeElementCountIsRefusedWithItsOffset) {
  auto f = example_b();
  f[270 + 11] = 0xFF;  // dwNbElements of target 0
  f[271 + 11] = 0xFF;
  try {
    parse_dfuse(ByteView(f, {"b.dfu", "DfuSe"}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_file);
    EXPECT_NE(std::string(e.what()).find("offset 281"), std::string::npos) << e.what();
  }
}

TEST(Dfuse, OverlappingElementsAreRefused) {
  DfuSuffix s;
  auto f = build_dfuse({{0, "ST...", {{0x08000000, kData}, {0x08000002, kData}}}}, s);
  EXPECT_THROW(parse_dfuse(ByteView(f, {"o.dfu", "DfuSe"})), Error);
  // On different alts the same addresses are different memories.
  auto g = build_dfuse({{0, "ST...", {{0x08000000, kData}}}, {1, "ST...", {{0x08000000, kData}}}}, s);
  EXPECT_NO_THROW(parse_dfuse(ByteView(g, {"g.dfu", "DfuSe"})));
}

}  // namespace
}  // namespace omv::image
