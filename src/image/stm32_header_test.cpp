#include "image/stm32_header.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace omv::image::stm32_header_test {
namespace {

std::vector<uint8_t> payload(size_t n) {
  std::vector<uint8_t> p(n);
  for (size_t i = 0; i < n; ++i) p[i] = static_cast<uint8_t>(i * 7 + 3);
  return p;
}

std::string error_of(const std::vector<uint8_t>& file, uint64_t limit = kStm32N6FsblLimit) {
  try {
    parse_stm32_v23(ByteView(file, {"ob.stm32", "STM32 image"}), limit);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_file);
    return e.what();
  }
  return "";
}

TEST(Stm32Header, MadeImageHasTheShippedLayout) {
  // The shipped OpenBootloader: headers end at 0x240, payload (vector table) at 0x400, length
  // = file size - 0x240, checksum = byte sum of [0x240, EOF) (stm32-dfu-phases.md 4.2).
  auto file = make_stm32_v23(payload(1000), 0x34180401);
  ASSERT_EQ(file.size(), 0x400u + 1000);
  EXPECT_EQ(load_le32(&file[0x6C]), file.size() - 0x240);
  EXPECT_EQ(load_le32(&file[0x88]), 0x1A0u);
  EXPECT_EQ(load_le32(&file[0x84]), 0x80000000u);
  EXPECT_EQ(file[0x400], payload(1)[0]);
  auto h = parse_stm32_v23(ByteView(file, {"ob.stm32", "STM32 image"}));
  EXPECT_EQ(h.payload_offset, 0x240u);
  EXPECT_EQ(h.entry_point, 0x34180401u);
  EXPECT_EQ(h.load_address, 0xFFFFFFFFu);
  EXPECT_EQ(h.checksum, stm32_byte_sum(std::span<const uint8_t>(file).subspan(0x240)));
  EXPECT_FALSE(h.signed_image());
}

TEST(Stm32Header, EachBrokenFieldIsNamedWithItsOffset) {
  auto good = make_stm32_v23(payload(512), 0x34180401);
  EXPECT_EQ(error_of(good), "");
  auto bad_magic = good;
  bad_magic[0] = 'X';
  EXPECT_NE(error_of(bad_magic).find("magic"), std::string::npos);
  auto v22 = good;
  v22[0x69] = 2;
  EXPECT_NE(error_of(v22).find("offset 104 (0x68): header version 2.2"), std::string::npos) << error_of(v22);
  auto bad_sum = good;
  bad_sum.back() ^= 0x55;
  EXPECT_NE(error_of(bad_sum).find("offset 100 (0x64): checksum"), std::string::npos) << error_of(bad_sum);
  auto truncated = good;
  truncated.resize(good.size() - 1);
  EXPECT_NE(error_of(truncated).find("is not the file size"), std::string::npos);
  auto ext = good;
  store_le32(&ext[0x88], 0xFFFFFF00u);
  EXPECT_NE(error_of(ext).find("extension headers"), std::string::npos);
  std::vector<uint8_t> tiny = {'S', 'T', 'M', '2', 0};
  EXPECT_NE(error_of(tiny).find("file ends"), std::string::npos) << error_of(tiny);
}

TEST(Stm32Header, RefusesAnImageOverTheRomLimit) {
  auto big = make_stm32_v23(payload(kStm32N6FsblLimit - 0x400 + 1), 0x34180401);
  EXPECT_NE(error_of(big).find("over the 512 KiB"), std::string::npos) << error_of(big);
  auto fits = make_stm32_v23(payload(kStm32N6FsblLimit - 0x400), 0x34180401);
  EXPECT_EQ(error_of(fits), "");
}

TEST(Stm32Header, V1WrapRoundTripsAndChecksItsChecksum) {
  const std::string tsv = "P\t0x1\tfsbl-openbl\tBinary\tnone\t0x0\n";
  auto blob = wrap_in_stm32_v1(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(tsv.data()), tsv.size()));
  ASSERT_EQ(blob.size(), 256 + tsv.size());
  EXPECT_EQ(load_le32(&blob[0x48]), 0x00010000u);
  EXPECT_EQ(load_le32(&blob[0x64]), 1u);
  Stm32Header h;
  ASSERT_TRUE(parse_stm32_v1(ByteView(blob, {"blob", "layout"}), h));
  EXPECT_EQ(h.image_length, tsv.size());
  blob.back() ^= 1;
  EXPECT_THROW(parse_stm32_v1(ByteView(blob, {"blob", "layout"}), h), Error);
  std::vector<uint8_t> bare(tsv.begin(), tsv.end());
  EXPECT_FALSE(parse_stm32_v1(ByteView(bare, {"blob", "layout"}), h));
}

}  // namespace
}  // namespace omv::image::stm32_header_test
