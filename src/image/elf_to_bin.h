#pragma once
// ELF -> raw binary, as `arm-none-eabi-objcopy -O binary firmware.elf firmware.bin` makes it:
// every allocated section with contents and a non-zero size is placed at its load address
// (LMA), the output starts at the lowest LMA, and the gaps between sections are zero-filled.
// This is what the build runs to make firmware.bin; omv uses it whenever a user hands it an
// ELF where a binary is needed.
//
//   auto bin = omv::image::elf_to_bin("build/OPENMV4/bin/firmware.elf");
//   // bin.base == 0x08040000, bin.bytes == the contents of firmware.bin
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "image/elf.h"
#include "image/segment.h"

namespace omv::image {

struct ElfToBinOptions {
  uint8_t gap_fill = 0x00;                  // objcopy's default; --gap-fill 0xFF for flash-like padding
  uint64_t max_size = 512ull * 1024 * 1024;  // refuse (Error{refused}) a binary larger than this
};

// The sections objcopy writes, in section-table order, each at its LMA.
struct LoadSection {
  std::string name;
  uint64_t lma = 0;
  uint64_t vma = 0;
  uint64_t size = 0;
};
std::vector<LoadSection> elf_load_sections(const ElfFile& elf);

// The same bytes as contiguous runs sorted by address (gaps are not filled): for flashing and
// for formats that carry addresses (UF2, DfuSe).
std::vector<Segment> elf_load_segments(const ElfFile& elf);

Flat elf_to_bin(const ElfFile& elf, const ElfToBinOptions& options = {});
Flat elf_to_bin(const std::filesystem::path& elf_file, const ElfToBinOptions& options = {});

}  // namespace omv::image
