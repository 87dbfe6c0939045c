#pragma once
// CRC-16/XMODEM (poly 0x1021, init 0, MSB first, no reflection, no final xor): what the SAM-BA
// `Z` command returns for a range of flash. "123456789" -> 0x31C3.
#include <cstdint>
#include <span>

namespace omv::protocol::samba {

uint16_t crc16_xmodem(std::span<const uint8_t> bytes, uint16_t crc = 0);

}  // namespace omv::protocol::samba
