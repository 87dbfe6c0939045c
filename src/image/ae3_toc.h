#pragma once
// The AE3's firmware_pad.toc: 8 KiB for the MRAM "TOC" partition, zeros first and the Alif
// application TOC package at the end (the build pads app-gen-toc's firmware.toc with dd). The
// package ends in a 16-byte tail {CRC-32 of the TOC, TOC address, package address, package
// size}; the TOC is a 32-byte header ("OEMTOC01", header size, entry count, entry size,
// version, part number) and 32-byte entries {object address, length, type, flags | cpu,
// version, identifier[8], extension}.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "image/reader.h"

namespace omv::image {

constexpr size_t kAe3TocPadSize = 8192;

struct Ae3TocEntry {
  std::string identifier;  // "HP_APP", "DEVICE", ...
  uint32_t object_address = 0;
  uint32_t object_length = 0;
  uint32_t object_type = 0;
  uint32_t flags = 0;      // low 4 bits: cpu; 0x10 compressed, 0x20 load, 0x40 boot, 0x80 encrypt, 0x100 deferred
  uint32_t version = 0;    // major << 24 | minor << 16 | patch << 8

  std::string cpu() const;
  std::vector<std::string> flag_names() const;
  std::string version_text() const;
};

struct Ae3Toc {
  uint64_t package_offset = 0;  // where the package starts in the file (= zero padding before it)
  bool padding_is_zero = true;
  uint32_t crc = 0;
  uint32_t computed_crc = 0;
  uint32_t toc_address = 0;
  uint32_t package_address = 0;
  uint32_t package_size = 0;
  uint64_t toc_offset = 0;
  std::string identifier;       // "OEMTOC01"
  uint16_t version = 0;
  std::string part;             // device part number
  std::vector<Ae3TocEntry> entries;

  bool crc_ok() const { return crc == computed_crc; }
};

bool looks_like_ae3_toc_pad(std::span<const uint8_t> bytes);
Ae3Toc parse_ae3_toc_pad(const ByteView& view);
// firmware.toc -> firmware_pad.toc (zeros in front up to 8 KiB). Error{refused} when over 8 KiB.
std::vector<uint8_t> pad_ae3_toc(std::span<const uint8_t> toc, const std::string& file);

}  // namespace omv::image
