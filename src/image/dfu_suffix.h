#pragma once
// The 16-byte DFU suffix (DFU 1.1 appendix B) at the end of .dfu files, as dfu-util and
// dfu-suffix read and write it: bcdDevice, idProduct, idVendor, bcdDFU, "UFD", bLength, dwCRC.
// dwCRC is CRC-32 without the final inversion over every byte before it.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

#include "image/reader.h"

namespace omv::image {

constexpr size_t kDfuSuffixSize = 16;

struct DfuSuffix {
  uint16_t bcd_device = 0xFFFF;  // 0xFFFF = any
  uint16_t product = 0xFFFF;
  uint16_t vendor = 0xFFFF;
  uint16_t bcd_dfu = 0x0100;     // 0x011A for DfuSe files
  uint8_t length = 16;
  uint32_t crc = 0;
};

struct FoundSuffix {
  DfuSuffix suffix;
  uint32_t computed_crc = 0;
  bool crc_ok() const { return suffix.crc == computed_crc; }
  uint64_t payload_size = 0;  // bytes before the suffix (file size - bLength)
};

// The suffix when the file ends in one ("UFD" signature). A signature with an impossible
// bLength fails with the offset; a wrong CRC is reported, not thrown.
std::optional<FoundSuffix> find_dfu_suffix(const ByteView& view);
bool has_dfu_signature(std::span<const uint8_t> bytes);

// The suffix to append to `payload` (its CRC covers the payload and the first 12 suffix bytes).
std::array<uint8_t, kDfuSuffixSize> make_dfu_suffix(std::span<const uint8_t> payload, const DfuSuffix& fields);
// The same, continuing a CRC register already fed with the payload (for streaming writers).
std::array<uint8_t, kDfuSuffixSize> make_dfu_suffix_from_state(uint32_t crc_state, const DfuSuffix& fields);

}  // namespace omv::image
