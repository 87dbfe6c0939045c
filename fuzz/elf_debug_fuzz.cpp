// `omv debug --elf FILE` reads any file a user names: program headers, symbols and DWARF
// (through libelf/libdw) must be rejected cleanly, never crash.
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/error.h"
#include "debug/dwarf_checks.h"
#include "debug/elf_file.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    auto elf = omv::debug::read_elf_bytes(std::span<const uint8_t>(data, size), "fuzz.elf");
    omv::debug::assess_build(elf);
    omv::debug::substitute_paths(elf, "/nonexistent/checkout", [](const std::filesystem::path&) { return false; });
  } catch (const omv::Error&) {
  }
  return 0;
}
