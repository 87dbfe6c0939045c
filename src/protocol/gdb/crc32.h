#pragma once
// The CRC-32 gdb's qCRC packet and compare-sections use (libiberty's xcrc32 with init
// 0xFFFFFFFF): polynomial 0x04C11DB7, MSB first, no reflection, no final XOR (CRC-32/MPEG-2).
// With no final XOR, the CRC of one block fed as `init` of the next gives the CRC of both.
#include <cstdint>
#include <span>

namespace omv::protocol::gdb {

constexpr uint32_t kCrcInit = 0xFFFFFFFF;
uint32_t gdb_crc32(std::span<const uint8_t> data, uint32_t init = kCrcInit);

}  // namespace omv::protocol::gdb
