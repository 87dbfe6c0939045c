#pragma once
// The OpenMV combined image openmv.bin: bootloader.bin padded with 0xFF up to the firmware
// offset (FIRMWARE start - BOOTLOADER start on the board), then firmware.bin; written at the
// bootloader's address. The bootloader carries a 32-byte header at offset 0x1000: magic
// 0xB00710AD, then major, minor, patch.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "boards/board.h"

namespace omv::image {

constexpr uint64_t kBootHeaderOffset = 0x1000;
constexpr uint32_t kBootMagic = 0xB00710AD;

struct BootHeader {
  uint8_t major = 0, minor = 0, patch = 0;
  std::string version() const;  // "1.0.3"
};
std::optional<BootHeader> read_boot_header(std::span<const uint8_t> bytes);

// Where the firmware starts inside openmv.bin for a board. Error{unsupported} when the board has
// no OpenMV bootloader partition followed by a firmware partition in the same memory.
struct CombinedLayout {
  const boards::Partition* bootloader = nullptr;
  const boards::Partition* firmware = nullptr;
  uint64_t firmware_offset = 0;
};
CombinedLayout combined_layout(const boards::Board& board);

// bootloader + 0xFF up to the offset + firmware. Refuses (Error{refused}) a bootloader that does
// not fit before the firmware offset or a firmware larger than its partition.
std::vector<uint8_t> combine_openmv_bin(std::span<const uint8_t> bootloader, std::span<const uint8_t> firmware,
                                        const CombinedLayout& layout, const std::string& bootloader_name,
                                        const std::string& firmware_name);

struct SplitImage {
  std::span<const uint8_t> bootloader;  // trailing 0xFF padding removed unless keep_padding
  std::span<const uint8_t> firmware;
  uint64_t padding = 0;                 // 0xFF bytes removed from the bootloader part
};
// Error{bad_file} (with the offset) when the file ends before the firmware offset.
SplitImage split_openmv_bin(std::span<const uint8_t> bytes, const CombinedLayout& layout, const std::string& file,
                            bool keep_padding);

}  // namespace omv::image
