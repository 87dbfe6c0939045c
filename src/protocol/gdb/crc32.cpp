#include "protocol/gdb/crc32.h"

#include <array>

namespace omv::protocol::gdb {
namespace {

constexpr std::array<uint32_t, 256> make_msb_first_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i << 24;
    for (int bit = 0; bit < 8; ++bit) c = (c & 0x80000000u) ? (c << 1) ^ 0x04C11DB7u : c << 1;
    table[i] = c;
  }
  return table;
}

constexpr auto kMsbFirstTable = make_msb_first_table();

}  // namespace

uint32_t gdb_crc32(std::span<const uint8_t> data, uint32_t init) {
  uint32_t crc = init;
  for (uint8_t b : data) crc = (crc << 8) ^ kMsbFirstTable[((crc >> 24) ^ b) & 0xFF];
  return crc;
}

}  // namespace omv::protocol::gdb
