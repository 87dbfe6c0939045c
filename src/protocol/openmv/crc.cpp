#include "protocol/openmv/crc.h"

#include <array>

namespace omv::protocol::openmv {
namespace {

template <typename T, T Poly>
constexpr std::array<T, 256> make_table() {
  constexpr int shift = 8 * sizeof(T) - 8;
  constexpr T top_bit = static_cast<T>(T{1} << (8 * sizeof(T) - 1));
  std::array<T, 256> table{};
  for (unsigned byte = 0; byte < 256; ++byte) {
    T crc = static_cast<T>(static_cast<T>(byte) << shift);
    for (int bit = 0; bit < 8; ++bit)
      crc = static_cast<T>((crc & top_bit) ? static_cast<T>(crc << 1) ^ Poly : static_cast<T>(crc << 1));
    table[byte] = crc;
  }
  return table;
}

constexpr auto kTable16 = make_table<uint16_t, kCrc16Poly>();
constexpr auto kTable32 = make_table<uint32_t, kCrc32Poly>();

}  // namespace

uint16_t crc16(std::span<const uint8_t> bytes, uint16_t crc) {
  for (uint8_t b : bytes) crc = static_cast<uint16_t>((crc << 8) ^ kTable16[((crc >> 8) ^ b) & 0xFF]);
  return crc;
}

uint32_t crc32(std::span<const uint8_t> bytes, uint32_t crc) {
  for (uint8_t b : bytes) crc = (crc << 8) ^ kTable32[((crc >> 24) ^ b) & 0xFF];
  return crc;
}

}  // namespace omv::protocol::openmv
