// ELF files come from users: header, tables and section bounds must never crash or over-allocate.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "image/elf_to_bin.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    auto elf = omv::image::parse_elf(std::vector<uint8_t>(data, data + size), "fuzz.elf");
    elf.has_dwarf();
    omv::image::elf_load_segments(elf);
    omv::image::ElfToBinOptions options;
    options.max_size = 1 << 20;
    omv::image::elf_to_bin(elf, options);
  } catch (const omv::Error&) {
  }
  return 0;
}
