#include "image/board_fit.h"

#include <fmt/format.h>

#include <filesystem>

#include "core/numbers.h"
#include "core/text.h"
#include "image/reader.h"

namespace omv::image {

std::vector<AddressWindow> partition_windows(const boards::Board& board) {
  std::vector<AddressWindow> out;
  for (const auto& p : board.partitions) {
    out.push_back({&p, p.start, p.end, false});
    if (const auto* m = board.memory(p.memory); m && m->xip_base && *m->xip_base != m->base)
      out.push_back({&p, *m->xip_base + (p.start - m->base), *m->xip_base + (p.end - m->base), true});
  }
  return out;
}

const AddressWindow* window_at(const std::vector<AddressWindow>& windows, uint64_t address) {
  // The narrowest window wins: ROMFS0 inside SPI_FLASH on boards whose filesystem spans the chip.
  const AddressWindow* best = nullptr;
  for (const auto& w : windows)
    if (address >= w.start && address < w.end && (!best || w.end - w.start < best->end - best->start)) best = &w;
  return best;
}

nlohmann::json fit_segments(const boards::Board& board, const std::vector<Segment>& segments) {
  auto windows = partition_windows(board);
  nlohmann::json j = {{"target", board.target}};
  nlohmann::json placed = nlohmann::json::array();
  nlohmann::json outside = nlohmann::json::array();
  const AddressWindow* home = nullptr;
  bool all_fit = true;
  uint64_t used = 0, overflow = 0;
  for (const auto& s : segments) {
    if (s.data.empty()) continue;
    const AddressWindow* w = window_at(windows, s.address);
    if (!w) {
      outside.push_back({{"start", s.address}, {"end", s.end()}, {"size", s.data.size()}});
      continue;
    }
    if (!home) home = w;
    const bool fits = s.end() <= w->end;
    const uint64_t over = fits ? 0 : s.end() - w->end;
    nlohmann::json seg = {{"start", s.address}, {"end", s.end()},         {"size", s.data.size()},
                          {"partition", w->partition->name}, {"fits", fits}, {"overflow", over}};
    if (!fits)
      if (const AddressWindow* next = window_at(windows, w->end)) seg["runs_into"] = next->partition->name;
    placed.push_back(seg);
    all_fit = all_fit && fits;
    if (w == home) {
      used = std::max(used, s.end() - home->start);
      overflow = std::max(overflow, over);
    }
  }
  j["segments"] = placed;
  j["outside"] = outside;
  if (home) {
    j["partition"] = home->partition->name;
    j["partition_start"] = home->start;
    j["partition_end"] = home->end;
    j["size"] = home->end - home->start;
    j["used"] = std::min(used, home->end - home->start);
    j["overflow"] = overflow;
    j["fits"] = all_fit;
  } else {
    j["partition"] = nullptr;
    j["fits"] = false;
  }
  return j;
}

nlohmann::json fit_raw_binary(const boards::Board& board, std::span<const uint8_t> bytes, const std::string& file_name,
                              const std::string& role) {
  nlohmann::json j = {{"target", board.target}, {"partition", nullptr}};
  const boards::Partition* part = nullptr;
  const std::string base = std::filesystem::path(file_name).filename().string();
  if (const auto* f = board.build_file(base)) {
    part = board.partition(f->partition);
    j["how"] = fmt::format("build file {}", f->file);
  }
  if (!part && !role.empty() && (part = board.partition_by_role(role))) j["how"] = fmt::format("format ({} partition)", role);
  if (!part && bytes.size() >= 8) {
    // A Cortex-M vector table: initial SP, then a Thumb (odd) reset handler address.
    const uint32_t reset = load_le32(bytes.data() + 4);
    if (reset & 1) {
      auto windows = partition_windows(board);
      if (const auto* w = window_at(windows, reset & ~1u)) {
        part = w->partition;
        j["how"] = fmt::format("reset vector {}", hex32(reset));
      }
    }
  }
  if (part) {
    j["partition"] = part->name;
    j["size"] = part->size();
    j["fits"] = bytes.size() <= part->size();
    j["overflow"] = bytes.size() > part->size() ? bytes.size() - part->size() : 0;
  }
  nlohmann::json candidates = nlohmann::json::array();
  for (const auto& p : board.partitions)
    if (!p.read_only && bytes.size() <= p.size()) candidates.push_back(p.name);
  j["candidates"] = candidates;
  return j;
}

}  // namespace omv::image
