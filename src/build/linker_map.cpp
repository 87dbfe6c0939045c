#include "build/linker_map.h"

#include <sstream>

#include "core/numbers.h"
#include "core/text.h"

namespace omv::build {

std::vector<MapRegion> parse_map_regions(std::string_view text) {
  std::vector<MapRegion> out;
  auto start = text.find("Memory Configuration");
  if (start == std::string_view::npos) return out;
  text = text.substr(start);
  auto end = text.find("Linker script and memory map");
  if (end != std::string_view::npos) text = text.substr(0, end);
  std::istringstream in{std::string(text)};
  std::string line;
  std::getline(in, line);  // the title
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string name, origin, length, attributes;
    if (!(fields >> name >> origin >> length)) continue;
    fields >> attributes;
    if (name == "Name" || name == "*default*") continue;
    auto o = parse_u64(origin);
    auto l = parse_u64(length);
    if (!o || !l) continue;
    out.push_back({name, *o, *l, attributes});
    if (out.size() > 1024) break;
  }
  return out;
}

}  // namespace omv::build
