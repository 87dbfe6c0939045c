#pragma once
// omv size: flash and RAM use per memory region, from the ELF's sections and segments. Flash
// regions are the board's partitions (board data); RAM regions come from the linker map's memory
// table when the build left one, else from the addresses themselves.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "boards/board.h"
#include "build/elf_sections.h"
#include "build/linker_map.h"

namespace omv::build {

struct Region {
  std::string name;                // FIRMWARE, HP, DTCM, SRAM1, ...
  std::string kind;                // "flash" or "ram"
  std::string source;              // "board", "map" or "elf" (size unknown)
  uint64_t start = 0;              // CPU address
  std::optional<uint64_t> size;
  uint64_t used = 0;
  std::vector<std::string> sections;

  std::optional<double> percent() const {
    if (!size || *size == 0) return std::nullopt;
    return 100.0 * static_cast<double>(used) / static_cast<double>(*size);
  }
};

struct SizeReport {
  std::string elf;                 // file name
  std::string map;                 // the map used, if any
  std::vector<Region> regions;     // with used > 0: flash first, each by address
  uint64_t flash_used = 0;
  uint64_t ram_used = 0;
};

// Pure: no file access. `board` may be null (a board only the checkout knows).
SizeReport size_report(const ElfImage& elf, const std::string& elf_name, const boards::Board* board,
                       const std::vector<MapRegion>& map);

// The link map that belongs to `elf` (same stem) under build/<TARGET>, if the build wrote one.
std::optional<std::filesystem::path> find_map_for(const std::filesystem::path& elf, const std::filesystem::path& build_dir);

}  // namespace omv::build
