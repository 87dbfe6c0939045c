#include "protocol/samba/crc16.h"

#include <array>

namespace omv::protocol::samba {
namespace {

constexpr std::array<uint16_t, 256> make_table() {
  std::array<uint16_t, 256> table{};
  for (unsigned i = 0; i < 256; ++i) {
    unsigned c = i << 8;
    for (int bit = 0; bit < 8; ++bit) c = (c & 0x8000) ? ((c << 1) ^ 0x1021) : (c << 1);
    table[i] = static_cast<uint16_t>(c);
  }
  return table;
}

constexpr auto kTable = make_table();

}  // namespace

uint16_t crc16_xmodem(std::span<const uint8_t> bytes, uint16_t crc) {
  for (uint8_t b : bytes) crc = static_cast<uint16_t>((crc << 8) ^ kTable[((crc >> 8) ^ b) & 0xFF]);
  return crc;
}

}  // namespace omv::protocol::samba
