#include "build/size_report.h"

#include <fmt/format.h>

#include <algorithm>

namespace omv::build {
namespace fs = std::filesystem;

namespace {

struct Span {
  Region region;
  uint64_t end = 0;  // exclusive
};

bool contains(const Span& s, uint64_t addr) { return addr >= s.region.start && addr < s.end; }

// Candidate regions in lookup order: board partitions, board memories, map regions.
std::vector<Span> candidate_regions(const boards::Board* board, const std::vector<MapRegion>& map) {
  std::vector<Span> spans;
  std::vector<std::pair<uint64_t, uint64_t>> board_ranges;
  if (board) {
    for (const auto& p : board->partitions) {
      const auto* m = board->memory(p.memory);
      if (!m) continue;
      uint64_t cpu = p.start - m->base + m->xip_base.value_or(m->base);
      spans.push_back({{p.name, "flash", "board", cpu, p.size(), 0, {}}, cpu + p.size()});
    }
    for (const auto& m : board->memories) {
      uint64_t cpu = m.xip_base.value_or(m.base);
      spans.push_back({{m.name, "flash", "board", cpu, m.size, 0, {}}, cpu + m.size});
      board_ranges.push_back({cpu, cpu + m.size});
    }
  }
  for (const auto& r : map) {
    bool overlaps_board = false;
    for (auto [a, b] : board_ranges) overlaps_board |= r.origin < b && a < r.origin + r.length;
    if (overlaps_board) continue;  // the board data describes that memory
    bool read_only = r.attributes.find('w') == std::string::npos && r.attributes.find('W') == std::string::npos;
    spans.push_back({{r.name, read_only ? "flash" : "ram", "map", r.origin, r.length, 0, {}}, r.origin + r.length});
  }
  return spans;
}

}  // namespace

SizeReport size_report(const ElfImage& elf, const std::string& elf_name, const boards::Board* board,
                       const std::vector<MapRegion>& map) {
  SizeReport report;
  report.elf = elf_name;
  auto spans = candidate_regions(board, map);
  std::vector<Span> unknown;  // addresses no region describes, grouped by 16 MiB window

  auto add = [&](uint64_t addr, const ElfSection& s, bool stored) {
    for (auto& span : spans)
      if (contains(span, addr)) {
        span.region.used += s.size;
        span.region.sections.push_back(s.name);
        return;
      }
    uint64_t window = addr & ~uint64_t{0xFFFFFF};
    std::string kind = stored && !s.writable ? "flash" : "ram";
    for (auto& span : unknown)
      if (span.region.start == window && span.region.kind == kind) {
        span.region.used += s.size;
        span.region.sections.push_back(s.name);
        return;
      }
    unknown.push_back({{fmt::format("0x{:08X}", window), kind, "elf", window, std::nullopt, s.size, {s.name}},
                       window + 0x1000000});
  };

  for (const auto& s : elf.sections) {
    if (s.has_bytes) add(s.lma, s, true);               // its bytes are stored there (flash)
    if (!s.has_bytes || s.vma != s.lma) add(s.vma, s, false);  // and it lives there at run time
  }
  for (auto& span : spans)
    if (span.region.used > 0) report.regions.push_back(span.region);
  for (auto& span : unknown) report.regions.push_back(span.region);
  std::stable_sort(report.regions.begin(), report.regions.end(), [](const Region& a, const Region& b) {
    if (a.kind != b.kind) return a.kind == "flash";
    return a.start < b.start;
  });
  for (const auto& r : report.regions) (r.kind == "flash" ? report.flash_used : report.ram_used) += r.used;
  return report;
}

std::optional<fs::path> find_map_for(const fs::path& elf, const fs::path& build_dir) {
  const std::string name = elf.stem().string() + ".map";
  std::error_code ec;
  for (const auto& candidate : {build_dir / name, elf.parent_path() / name})
    if (fs::is_regular_file(candidate, ec)) return candidate;
  for (fs::recursive_directory_iterator it(build_dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it.depth() > 3) {
      it.disable_recursion_pending();
      continue;
    }
    if (it->path().filename() == name && it->is_regular_file(ec)) return it->path();
  }
  return std::nullopt;
}

}  // namespace omv::build
