#pragma once
// ELF files as the build produces them (firmware.elf, bootloader.elf), read with libelf.
// Header fields and table bounds are checked against the file before libelf sees it, so a
// truncated or hostile file fails with the offset of what is missing.
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "image/reader.h"

namespace omv::image {

struct ElfProgramHeader {
  uint32_t type = 0;  // PT_LOAD = 1
  uint32_t flags = 0;
  uint64_t offset = 0;
  uint64_t vaddr = 0;
  uint64_t paddr = 0;
  uint64_t filesz = 0;
  uint64_t memsz = 0;
};

struct ElfSection {
  std::string name;
  uint32_t type = 0;
  uint64_t flags = 0;
  uint64_t addr = 0;    // VMA
  uint64_t offset = 0;  // in the file
  uint64_t size = 0;
  uint64_t lma = 0;     // load address, derived from the program headers as binutils does

  // Allocated with contents in the file: what `objcopy -O binary` writes (when non-empty).
  bool loadable() const;
};

struct ElfFile {
  Source source;
  std::vector<uint8_t> bytes;
  bool is64 = false;
  bool big_endian = false;
  uint16_t type = 0;     // ET_EXEC = 2
  uint16_t machine = 0;  // EM_ARM = 40
  uint32_t flags = 0;
  uint64_t entry = 0;
  std::vector<ElfProgramHeader> program_headers;
  std::vector<ElfSection> sections;

  std::span<const uint8_t> contents(const ElfSection& section) const;
  bool has_dwarf() const;                      // .debug_info present
  std::vector<std::string> debug_sections() const;
  std::string machine_name() const;            // "ARM", "RISC-V", ... or "machine 183"
  std::string abi_note() const;                // ARM: "EABI5, hard-float"; "" otherwise
};

bool looks_like_elf(std::span<const uint8_t> bytes);
ElfFile parse_elf(std::vector<uint8_t> bytes, const std::string& file_name);
ElfFile read_elf(const std::filesystem::path& path);

}  // namespace omv::image
