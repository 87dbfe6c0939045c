#pragma once
// The "Memory Configuration" table GNU ld writes at the top of a link map (-Wl,-Map=...): the
// linker's own memory regions with their origin and length, e.g. DTCM, SRAM1, FLASH_TEXT.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace omv::build {

struct MapRegion {
  std::string name;
  uint64_t origin = 0;
  uint64_t length = 0;
  std::string attributes;
};

// Regions in file order; *default* is left out. Empty when the text has no such table.
std::vector<MapRegion> parse_map_regions(std::string_view map_text);

}  // namespace omv::build
