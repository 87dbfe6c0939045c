#pragma once
// The OpenMV Protocol checksums: CRC-16 over the packet header and CRC-32 over the payload.
// Both are MSB-first with no reflection and no final xor, which makes them differ from every
// "standard" catalogue CRC of the same width.
#include <cstdint>
#include <span>

namespace omv::protocol::openmv {

inline constexpr uint16_t kCrc16Poly = 0xF94F;
inline constexpr uint32_t kCrc32Poly = 0xFA567D89;

uint16_t crc16(std::span<const uint8_t> bytes, uint16_t crc = 0xFFFF);
uint32_t crc32(std::span<const uint8_t> bytes, uint32_t crc = 0xFFFFFFFF);

}  // namespace omv::protocol::openmv
