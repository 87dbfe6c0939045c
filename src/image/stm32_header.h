#pragma once
// STMicroelectronics' boot image headers, as the STM32 boot ROMs and ST's flashing services
// check them (UM3234 Table 32; TF-A tools/stm32image; U-Boot cmd_stm32prog).
//  - v2.3 (STM32N6 FSBL, e.g. ST's OpenBootloader .stm32): magic "STM2", checksum at 0x64 (32-bit
//    sum of the payload bytes), version bytes {0, minor 3, major 2, 0} at 0x68, image length at
//    0x6C, entry point 0x70, load address 0x78, extension flags 0x84, extension headers' length
//    0x88 (they start at 0xA0); the payload follows the extension headers and runs to the end.
//  - v1 (256 bytes): what a FlashLayout blob may carry in front of its TSV (U-Boot, snagboot).
// Every check names the file and the offset of the field that is wrong.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "image/reader.h"

namespace omv::image {

constexpr uint32_t kStm32Magic = 0x324D5453;  // "STM2" read little-endian
constexpr size_t kStm32V1HeaderSize = 256;
constexpr size_t kStm32V23FixedHeaderSize = 0xA0;
// The N6 boot ROM's download buffer: header + image together (UM3234 Fig. 8).
constexpr size_t kStm32N6FsblLimit = 512 * 1024;

struct Stm32Header {
  uint8_t version_major = 0, version_minor = 0;
  uint32_t checksum = 0;           // as stored
  uint32_t image_length = 0;       // payload bytes
  uint32_t entry_point = 0;
  uint32_t load_address = 0;       // 0xFFFFFFFF: "auto" (the ROM's buffer)
  uint32_t extension_flags = 0;    // b0 authentication, b1 encryption, b31 padding
  uint32_t extension_length = 0;   // v2.3: bytes of extension headers after 0xA0
  uint64_t payload_offset = 0;     // where the checksummed payload starts in the file
  bool signed_image() const { return (extension_flags & 1) != 0; }
};

// Parses and checks a v2.3 header: magic, version 2.3, extension headers inside the file,
// payload_offset + image_length == file size, checksum, and the whole file within `limit`.
Stm32Header parse_stm32_v23(const ByteView& file, uint64_t limit = kStm32N6FsblLimit);

// Recognises a v1 header in front of a blob; returns false when the blob does not start with
// the magic (a bare payload). A header with the magic that is wrong (version, length,
// checksum) fails naming the field.
bool parse_stm32_v1(const ByteView& blob, Stm32Header& out);

// The 32-bit sum of bytes, as both header versions store it.
uint32_t stm32_byte_sum(std::span<const uint8_t> bytes);

// A v1 header for `payload` (option flags 1, everything else zero), followed by the payload.
std::vector<uint8_t> wrap_in_stm32_v1(std::span<const uint8_t> payload);

// A v2.3 image around `payload` with no signature and one padding extension so that the payload
// starts at `payload_offset` (ST's SigningTool -align layout: 0x400). For tests and tools that
// make FSBL images; real images come signed from ST's tools.
std::vector<uint8_t> make_stm32_v23(std::span<const uint8_t> payload, uint32_t entry_point,
                                    uint32_t payload_offset = 0x400, uint32_t load_address = 0xFFFFFFFF);

}  // namespace omv::image
