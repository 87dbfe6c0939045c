#include "image/uf2.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace omv::image {
namespace {

TEST(Uf2, ReferenceBlocks) {
  // protocols.md 7.6: 512 bytes 00..FF twice at 0x10000000 -> two blocks.
  std::vector<uint8_t> data(512);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i);
  auto f = build_uf2({{0x10000000, data, std::nullopt}}, kUf2FamilyRp2040);
  ASSERT_EQ(f.size(), 1024u);
  const std::vector<uint8_t> h0 = {0x55, 0x46, 0x32, 0x0a, 0x57, 0x51, 0x5d, 0x9e, 0x00, 0x20, 0x00, 0x00, 0x00, 0x00, 0x00, 0x10,
                                   0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x56, 0xff, 0x8b, 0xe4};
  EXPECT_TRUE(std::equal(h0.begin(), h0.end(), f.begin()));
  EXPECT_EQ(f[32], 0);
  EXPECT_EQ(f[32 + 255], 0xFF);
  EXPECT_EQ(f[32 + 256], 0);  // zero padding to 476 bytes
  EXPECT_EQ(f[508], 0x30);
  EXPECT_EQ(f[511], 0x0a);
  const std::vector<uint8_t> h1 = {0x55, 0x46, 0x32, 0x0a, 0x57, 0x51, 0x5d, 0x9e, 0x00, 0x20, 0x00, 0x00, 0x00, 0x01, 0x00, 0x10,
                                   0x00, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x56, 0xff, 0x8b, 0xe4};
  EXPECT_TRUE(std::equal(h1.begin(), h1.end(), f.begin() + 512));
}

TEST(Uf2, RoundTripWithGapAndPartialPages) {
  std::vector<Segment> in = {{0x10000010, std::vector<uint8_t>(300, 0x11), std::nullopt},
                             {0x10001000, std::vector<uint8_t>(10, 0x22), std::nullopt}};
  auto f = build_uf2(in, kUf2FamilyRp2040);
  ByteView view(f, {"x.uf2", "UF2"});
  auto file = parse_uf2(view);
  EXPECT_EQ(file.blocks.size(), 3u);
  auto segs = uf2_segments(view, file, std::nullopt);
  ASSERT_EQ(segs.size(), 2u);
  EXPECT_EQ(segs[0].address, 0x10000000u);
  EXPECT_EQ(segs[0].data.size(), 512u);
  EXPECT_EQ(segs[0].data[0], 0xFF);
  EXPECT_EQ(segs[0].data[0x10], 0x11);
  auto sum = summarize_uf2(file, kUf2FamilyRp2040);
  ASSERT_EQ(sum.gaps.size(), 1u);
  EXPECT_EQ(sum.gaps[0].start, 0x10000200u);
  EXPECT_EQ(sum.gaps[0].end, 0x10001000u);
}

TEST(Uf2, BlockNumberNotBelowCountIsRefused) {
  auto f = build_uf2({{0x10000000, std::vector<uint8_t>(10, 1), std::nullopt}}, kUf2FamilyRp2040);
  f[20] = 5;  // blockNo 5 of 1
  try {
    parse_uf2(ByteView(f, {"b.uf2", "UF2"}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("offset 20"), std::string::npos) << e.what();
  }
}

TEST(Uf2, OtherFamiliesAreIgnored) {
  auto a = build_uf2({{0x10000000, std::vector<uint8_t>(256, 1), std::nullopt}}, kUf2FamilyRp2040);
  auto b = build_uf2({{0x10000000, std::vector<uint8_t>(256, 2), std::nullopt}}, 0xE48BFF59);
  a.insert(a.end(), b.begin(), b.end());
  ByteView view(a, {"m.uf2", "UF2"});
  auto file = parse_uf2(view);
  EXPECT_THROW(uf2_segments(view, file, std::nullopt), Error);  // two families: must choose
  auto segs = uf2_segments(view, file, 0xE48BFF59);
  ASSERT_EQ(segs.size(), 1u);
  EXPECT_EQ(segs[0].data[0], 2);
  EXPECT_EQ(parse_uf2_family("rp2040"), kUf2FamilyRp2040);
  EXPECT_EQ(parse_uf2_family("0xE48BFF5A"), 0xE48BFF5Au);
}

}  // namespace
}  // namespace omv::image
