#pragma once
// CRC-32 (reflected, polynomial 0xEDB88320). The DFU suffix stores it without the final
// inversion (CRC-32/JAMCRC, check value 0x340BC6D9 for "123456789"); zlib and the Alif TOC
// use the usual CRC-32 (check value 0xCBF43926).
#include <cstdint>
#include <span>

namespace omv::image {

// Raw register update: start from 0xFFFFFFFF, feed data, no final inversion.
uint32_t crc32_update(uint32_t state, std::span<const uint8_t> data);

inline uint32_t dfu_crc(std::span<const uint8_t> data) { return crc32_update(0xFFFFFFFFu, data); }
inline uint32_t zlib_crc32(std::span<const uint8_t> data) { return ~crc32_update(0xFFFFFFFFu, data); }

}  // namespace omv::image
