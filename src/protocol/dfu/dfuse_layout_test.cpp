#include "protocol/dfu/dfuse_layout.h"

#include <gtest/gtest.h>

namespace omv::dfu {
namespace {

// Vectors: the output of dfu-util 0.11's parse_memory_layout() (reference notes, protocols §2.4).
TEST(DfuseLayout, Stm32F4InternalFlash) {
  auto l = parse_memory_layout("@Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg");
  ASSERT_TRUE(l);
  EXPECT_EQ(l->name, "Internal Flash");
  ASSERT_EQ(l->segments.size(), 3u);
  EXPECT_EQ(l->segments[0].start, 0x08000000u);
  EXPECT_EQ(l->segments[0].end, 0x08010000u);
  EXPECT_EQ(l->segments[0].page_size, 16384u);
  EXPECT_EQ(l->segments[1].start, 0x08010000u);
  EXPECT_EQ(l->segments[1].page_size, 65536u);
  EXPECT_EQ(l->segments[2].end, 0x08100000u);
  EXPECT_EQ(l->segments[2].attributes, 7);
  EXPECT_EQ(*l->page_start(0x08021234), 0x08020000u);
}

TEST(DfuseLayout, SpaceMeansBytes) {
  auto l = parse_memory_layout("@Option Bytes  /0x1FFFC000/01*016 g");
  ASSERT_TRUE(l);
  ASSERT_EQ(l->segments.size(), 1u);
  EXPECT_EQ(l->segments[0].end - l->segments[0].start, 16u);
  auto otp = parse_memory_layout("@OTP Memory /0x1FFF7800/01*512 g,01*016 g");
  ASSERT_TRUE(otp);
  EXPECT_EQ(otp->segments[1].start, 0x1FFF7A00u);
  EXPECT_EQ(otp->segments[1].end, 0x1FFF7A10u);
}

TEST(DfuseLayout, TypeLettersAreBitSets) {
  auto l = parse_memory_layout("@Internal Flash  /0x08000000/20*001Ka,108*001Kg");
  ASSERT_TRUE(l);
  EXPECT_TRUE(l->segments[0].readable());
  EXPECT_FALSE(l->segments[0].writable());
  EXPECT_FALSE(l->segments[0].erasable());
  EXPECT_EQ(l->segments[0].end, 0x08005000u);
  EXPECT_TRUE(l->segments[1].writable());
  EXPECT_EQ(l->segments[1].end, 0x08020000u);
}

TEST(DfuseLayout, SeveralAddressGroupsAndOddNames) {
  auto l = parse_memory_layout("@Internal Flash  /0x08000000/04*016Kg/0x08010000/01*064Ke");
  ASSERT_TRUE(l);
  ASSERT_EQ(l->segments.size(), 2u);
  EXPECT_EQ(l->segments[1].start, 0x08010000u);
  EXPECT_EQ(l->segments[1].attributes, 5);  // rw, not erasable
  auto spi = parse_memory_layout("@SPI Flash : SST25x/0x00000000/512*04Kg");
  ASSERT_TRUE(spi);
  EXPECT_EQ(spi->name, "SPI Flash : SST25x");
  EXPECT_EQ(spi->segments[0].end, 0x00200000u);
  auto feature = parse_memory_layout("@Device Feature/0xFFFF0000/01*004 g");
  ASSERT_TRUE(feature);
  EXPECT_EQ(feature->segments[0].attributes, 5);
  auto mult_is_type = parse_memory_layout("@X/0x0/4*4a");
  ASSERT_TRUE(mult_is_type);
  EXPECT_EQ(mult_is_type->segments[0].end, 16u);
}

TEST(DfuseLayout, BoardLayoutsParse) {
  auto h7 = parse_memory_layout("@Internal Flash  /0x08000000/16*128Kg");
  ASSERT_TRUE(h7);
  EXPECT_EQ(h7->segments[0].end, 0x08200000u);
  auto ard = parse_memory_layout("@External Flash   /0x90000000/4096*4Kg");
  ASSERT_TRUE(ard);
  EXPECT_EQ(ard->segments[0].end, 0x91000000u);
}

TEST(DfuseLayout, MalformedStringsAreRejectedWithTheOffset) {
  std::string why;
  EXPECT_FALSE(parse_memory_layout("Internal Flash/0x08000000/04*016Kg", &why));
  EXPECT_NE(why.find("offset 0"), std::string::npos);
  EXPECT_FALSE(parse_memory_layout("@Flash/08000000/04*016Kg", &why));
  EXPECT_FALSE(parse_memory_layout("@Flash/0x08000000/04*016Qg", &why));
  EXPECT_NE(why.find("multiplier"), std::string::npos);
  EXPECT_FALSE(parse_memory_layout("@Flash/0x08000000/04*016K", &why));
  EXPECT_FALSE(parse_memory_layout("@Flash/0x08000000/0*016Kg", &why));
  EXPECT_FALSE(parse_memory_layout("@Flash/0xFFFFF000/04*016Kg", &why));  // past 4 GiB
  EXPECT_FALSE(parse_memory_layout("@Flash/0x08000000/99999999999*1Mg", &why));
  EXPECT_FALSE(parse_memory_layout("@Flash", &why));
  // A second address group inside the first (found by the layout fuzzer).
  EXPECT_FALSE(parse_memory_layout("@Internal Flash  /0x08000000/04*016Kg/0x08009999/01*064Ke", &why));
  EXPECT_NE(why.find("overlaps"), std::string::npos) << why;
}

}  // namespace
}  // namespace omv::dfu
