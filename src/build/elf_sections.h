#pragma once
// The allocated sections of an ELF (read with libelf), each with its run-time address (VMA) and
// the address its bytes are loaded from (LMA, from the PT_LOAD segment that holds it).
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace omv::build {

struct ElfSection {
  std::string name;
  uint64_t vma = 0;
  uint64_t lma = 0;
  uint64_t size = 0;
  bool has_bytes = false;   // SHT_PROGBITS and friends: occupies flash; false for .bss (NOBITS)
  bool writable = false;
  bool executable = false;
};

struct ElfImage {
  std::string machine;      // "ARM", ...
  bool is_64 = false;
  uint64_t entry = 0;
  std::vector<ElfSection> sections;  // SHF_ALLOC sections of non-zero size, in file order
};

// Throws Error{bad_file} naming the file when it is not a readable ELF.
ElfImage read_elf(const std::filesystem::path& file);
ElfImage read_elf_bytes(const void* data, size_t size, const std::string& name);

}  // namespace omv::build
