#include "flash/gdb_target_view.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "core/numbers.h"
#include "core/text.h"

namespace omv::flash {
namespace {

using protocol::gdb::MemoryRegion;

std::string describe_region(const MemoryRegion& r) {
  std::string s = fmt::format("{} {}..{}", protocol::gdb::to_string(r.type), hex32(r.start), hex32(r.end()));
  if (r.type == MemoryRegion::Type::flash) s += fmt::format(" (blocks of {})", human_size(r.blocksize));
  return s;
}

std::string list_regions(const protocol::gdb::MemoryMap& map) {
  std::vector<std::string> parts;
  for (const auto& r : map.regions) parts.push_back(describe_region(r));
  return parts.empty() ? std::string("none") : join(parts, ", ");
}

// Erase runs from the memory's base: whatever lies before the region as one unit, the region's
// blocks, whatever lies after as one unit. Images are checked to lie inside the region, so the
// outer units are never planned.
std::vector<boards::EraseRun> layout_for(const boards::Memory& m, uint64_t cpu_base, const MemoryRegion& r) {
  std::vector<boards::EraseRun> runs;
  const uint64_t from = std::max(r.start, cpu_base), to = std::min(r.end(), cpu_base + m.size);
  if (from > cpu_base) runs.push_back({1, from - cpu_base});
  const uint64_t blocks = (to - from) / r.blocksize;
  if (blocks) runs.push_back({blocks, r.blocksize});
  const uint64_t covered = from - cpu_base + blocks * r.blocksize;
  if (covered < m.size) runs.push_back({1, m.size - covered});
  return runs;
}

boards::Memory& memory_named(boards::Board& board, const std::string& name) {
  for (auto& m : board.memories)
    if (m.name == name) return m;
  fail(ErrorKind::bad_board_data, board.target + ": no memory " + name);
}

}  // namespace

const GdbMemoryAccess& GdbTargetView::of(const boards::Partition& part) const {
  auto it = access.find(part.memory);
  if (it == access.end()) fail(ErrorKind::failure, "no GDB access for memory " + part.memory);
  return it->second;
}

uint64_t GdbTargetView::cpu_address(const boards::Partition& part, uint64_t address) const {
  const auto* m = board.memory(part.memory);
  return of(part).cpu_base + (address - m->base);
}

GdbTargetView make_gdb_target_view(const boards::Board& board, const std::vector<Image>& images,
                                   const std::optional<protocol::gdb::MemoryMap>& map, const std::string& server) {
  GdbTargetView view;
  view.board = board;
  view.has_map = map.has_value();
  for (const auto& img : images) {
    const auto* m = board.memory(img.partition->memory);
    if (!m) fail(ErrorKind::bad_board_data, board.target + ": partition " + img.partition->name + " names unknown memory");
    const uint64_t cpu_base = m->xip_base.value_or(m->base);
    const uint64_t length = img.erase_only ? img.erase_length : img.data.size();
    const uint64_t first = cpu_base + (img.address - m->base), last = first + length - 1;
    GdbMemoryAccess access;
    access.cpu_base = cpu_base;
    if (!map) {
      access.region = "no memory map: X/M writes, as gdb's load does";
    } else {
      const auto* r = map->region_at(first);
      if (!r || !r->contains(last))
        fail(ErrorKind::refused,
             fmt::format("{}: {}..{} ({} of {}) is not inside one region of the memory map of {} ({}); nothing was written",
                         img.label, hex32(first), hex32(last + 1), img.partition->name, board.target, server, list_regions(*map)),
             "check that the server is set up for this board (its flash banks) and that TARGET is right");
      if (r->type == MemoryRegion::Type::rom)
        fail(ErrorKind::refused,
             fmt::format("{}: {}..{} is read-only memory ({}) for {}; nothing was written", img.label, hex32(first),
                         hex32(last + 1), describe_region(*r), server),
             "the server has no flash driver for it: configure its flash bank");
      access.region = describe_region(*r);
      access.flash_packets = r->type == MemoryRegion::Type::flash;
      access.blocksize = r->blocksize;
    }
    auto& erase_layout = memory_named(view.board, m->name).erase_layout;
    if (access.flash_packets) erase_layout = layout_for(*m, cpu_base, *map->region_at(first));
    else erase_layout.clear();
    auto [it, fresh] = view.access.emplace(m->name, access);
    if (!fresh && (it->second.flash_packets != access.flash_packets || it->second.blocksize != access.blocksize))
      fail(ErrorKind::refused,
           fmt::format("{}: the images in {} lie in different regions of the memory map of {} ({} and {}); nothing was written",
                       board.target, m->name, server, it->second.region, access.region),
           "deploy them one at a time");
  }
  return view;
}

}  // namespace omv::flash
