#pragma once
// What the debug loop needs from a firmware ELF: the bytes it loads (to compare with what is on
// the camera), a few symbols, and each compile unit's DW_AT_name / DW_AT_comp_dir /
// DW_AT_producer (to check it is a debug build and that its sources resolve here).
// libelf and libdw do the parsing.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace omv::debug {

struct LoadSegment {
  uint64_t paddr = 0;  // load (physical) address: where the bytes sit in flash
  uint64_t vaddr = 0;
  uint64_t memsz = 0;
  std::vector<uint8_t> data;  // p_filesz bytes
};

struct CompileUnit {
  std::string name;      // DW_AT_name (often relative to comp_dir)
  std::string comp_dir;  // DW_AT_comp_dir
  std::string producer;  // DW_AT_producer ("GNU C11 12.2.1 ... -Og -ggdb3")
};

struct ElfInfo {
  std::string file;
  uint16_t machine = 0;  // EM_ARM = 40
  uint64_t entry = 0;
  std::vector<LoadSegment> segments;
  bool has_dwarf = false;
  std::vector<CompileUnit> units;
  std::optional<size_t> main_unit;          // the unit that defines main(), if known
  std::map<std::string, uint64_t> symbols;  // the symbols asked for that exist

  bool has_symbol(const std::string& name) const { return symbols.count(name) != 0; }
};

// Symbols looked up by default: main, Reset_Handler and the RTT control block.
const std::vector<std::string>& default_symbols();

// Throws Error{bad_file} (not an ELF, truncated) or Error{io} (unreadable).
ElfInfo read_elf(const std::filesystem::path& path, const std::vector<std::string>& wanted = default_symbols());
ElfInfo read_elf_bytes(std::span<const uint8_t> bytes, const std::string& name,
                       const std::vector<std::string>& wanted = default_symbols());

}  // namespace omv::debug
