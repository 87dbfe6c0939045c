#include "image/crc32.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace omv::image {
namespace {

std::span<const uint8_t> bytes(std::string_view s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

TEST(Crc32, DfuSuffixCrcOfTheCheckString) {
  // protocols.md 2.6: CRC-32/JAMCRC check value.
  EXPECT_EQ(dfu_crc(bytes("123456789")), 0x340BC6D9u);
  EXPECT_EQ(zlib_crc32(bytes("123456789")), 0xCBF43926u);
}

TEST(Crc32, SlicedAndBytewiseAgreeAtEveryLength) {
  std::vector<uint8_t> data(100);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i * 37 + 11);
  for (size_t n = 0; n <= data.size(); ++n) {
    uint32_t slow = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; ++i) {
      slow ^= data[i];
      for (int k = 0; k < 8; ++k) slow = (slow & 1) ? (slow >> 1) ^ 0xEDB88320u : slow >> 1;
    }
    EXPECT_EQ(dfu_crc({data.data(), n}), slow) << n;
  }
}

TEST(Crc32, UpdateInPiecesEqualsWhole) {
  std::vector<uint8_t> data(1000, 0xA5);
  uint32_t s = crc32_update(0xFFFFFFFFu, {data.data(), 333});
  s = crc32_update(s, {data.data() + 333, 667});
  EXPECT_EQ(s, dfu_crc(data));
}

}  // namespace
}  // namespace omv::image
