#include "protocol/gdb/crc32.h"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

namespace omv::protocol::gdb::crc32_test {
namespace {

std::span<const uint8_t> span_of(std::string_view s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

TEST(GdbCrc32, TestVectorsOfGdbsVariant) {
  EXPECT_EQ(gdb_crc32(span_of("123456789")), 0x0376E6E7u);  // zlib's reflected CRC-32 gives 0xCBF43926
  const std::vector<uint8_t> zeros(4, 0);
  EXPECT_EQ(gdb_crc32(zeros), 0xC704DD7Bu);
  EXPECT_EQ(gdb_crc32({}), 0xFFFFFFFFu);
}

TEST(GdbCrc32, ChainsAcrossBlocks) {
  const auto whole = span_of("the quick brown fox jumps over the lazy dog");
  const uint32_t first = gdb_crc32(whole.subspan(0, 10));
  EXPECT_EQ(gdb_crc32(whole.subspan(10), first), gdb_crc32(whole));
}

}  // namespace
}  // namespace omv::protocol::gdb::crc32_test
