#include "flash/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/error.h"
#include "core/numbers.h"

namespace omv::flash {
namespace {

// Compare/write granularity on memories without erase units (MRAM): one DFU block.
constexpr uint64_t kNoEraseUnit = 4096;

uint64_t image_length(const Image& img) { return img.erase_only ? img.erase_length : img.data.size(); }

std::vector<Unit> units_for(const boards::Memory& m, const boards::Partition& p, const Image& img) {
  std::vector<Unit> units;
  const uint64_t begin = img.address, end = img.address + image_length(img);
  if (m.erase_layout.empty()) {
    for (uint64_t a = begin; a < end; a += kNoEraseUnit) units.push_back(Unit{a, std::min(kNoEraseUnit, end - a), Action::write, {}});
    return units;
  }
  for (uint64_t a = begin; a < end;) {
    auto u = m.erase_unit_at(a);
    if (!u) fail(ErrorKind::bad_board_data, fmt::format("{}: {} has no erase unit at {}", p.name, m.name, hex32(a)));
    units.push_back(Unit{u->start, u->size, Action::write, {}});
    a = u->start + u->size;
  }
  (void)p;
  return units;
}

}  // namespace

const char* action_name(Action a) {
  switch (a) {
    case Action::write: return "write";
    case Action::skip: return "skip";
    case Action::erase_only: return "erase";
  }
  return "write";
}

uint64_t Plan::bytes(Action action) const {
  uint64_t n = 0;
  for (const auto& ip : images)
    for (const auto& u : ip.units)
      if (u.action == action) n += u.size;
  return n;
}

size_t Plan::count(Action action) const {
  size_t n = 0;
  for (const auto& ip : images)
    for (const auto& u : ip.units) n += u.action == action;
  return n;
}

nlohmann::json Plan::to_json() const {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& ip : images) {
    nlohmann::json units = nlohmann::json::array();
    for (const auto& u : ip.units)
      units.push_back({{"start", hex32(u.start)}, {"size", u.size}, {"action", action_name(u.action)}, {"reason", u.reason}});
    out.push_back({{"image", ip.image->label},
                   {"partition", ip.image->partition->name},
                   {"address", hex32(ip.image->address)},
                   {"bytes", image_length(*ip.image)},
                   {"compared", ip.compared},
                   {"units", units}});
  }
  return out;
}

void validate(const boards::Board& board, const std::vector<Image>& images, const PlanOptions& options) {
  for (const auto& img : images) {
    const auto* p = img.partition;
    if (!p) fail(ErrorKind::usage, img.label + ": no partition to write it to");
    const uint64_t len = image_length(img);
    if (p->read_only && !options.allow_read_only)
      fail(ErrorKind::refused, fmt::format("{}: partition {} of {} is read-only (the bootloader); nothing was written",
                                           img.label, p->name, board.target),
           p->role == "bootloader" ? "restore a bootloader with 'omv recover " + board.target + "'" : "");
    if (len == 0) fail(ErrorKind::bad_file, img.label + ": the image is empty");
    if (img.address < p->start || img.address >= p->end || len > p->end - img.address)
      fail(ErrorKind::refused,
           fmt::format("{}: {} at {} does not fit partition {} ({}..{}, {}); nothing was written", img.label,
                       human_size(len), hex32(img.address), p->name, hex32(p->start), hex32(p->end), human_size(p->size())),
           "check the image and the TARGET");
    const auto* m = board.memory(p->memory);
    if (!m) fail(ErrorKind::bad_board_data, board.target + ": partition " + p->name + " names unknown memory " + p->memory);
    if (!m->erase_layout.empty()) {
      auto first = m->erase_unit_at(img.address);
      if (!first || first->start != img.address)
        fail(ErrorKind::refused, fmt::format("{}: {} is not the start of an erase unit of {}; nothing was written",
                                             img.label, hex32(img.address), m->name));
      auto last = m->erase_unit_at(img.address + len - 1);
      if (!last || last->start + last->size > p->end)
        fail(ErrorKind::bad_board_data, fmt::format("{}: the erase unit at {} crosses the end of partition {}",
                                                    board.target, hex32(last ? last->start : img.address), p->name));
    }
  }
  // Two images must not overlap on the same memory.
  for (size_t i = 0; i < images.size(); ++i)
    for (size_t j = i + 1; j < images.size(); ++j) {
      const auto &a = images[i], &b = images[j];
      if (a.partition->memory != b.partition->memory) continue;
      if (a.address < b.address + image_length(b) && b.address < a.address + image_length(a))
        fail(ErrorKind::usage, fmt::format("{} and {} overlap in {}", a.label, b.label, a.partition->memory));
    }
}

std::vector<uint8_t> expected_unit(const ImagePlan& ip, const Unit& u) {
  const Image& img = *ip.image;
  const bool erasable = !ip.memory->erase_layout.empty();
  std::vector<uint8_t> out(u.size, 0xFF);
  if (img.erase_only) return out;
  const uint64_t img_end = img.address + img.data.size();
  const uint64_t from = std::max(u.start, img.address), to = std::min(u.start + u.size, img_end);
  if (from < to)
    std::copy(img.data.begin() + static_cast<ptrdiff_t>(from - img.address),
              img.data.begin() + static_cast<ptrdiff_t>(to - img.address), out.begin() + static_cast<ptrdiff_t>(from - u.start));
  if (!erasable) out.resize(std::min<uint64_t>(u.size, to > u.start ? to - u.start : 0));
  return out;
}

namespace {

// The bytes of `unit` within `run_bytes` (the bytes of `run`, which holds it); fewer at the end
// of a short read or of an image on memory without erase units.
std::span<const uint8_t> unit_bytes(const std::vector<uint8_t>& run_bytes, const Unit& run, const Unit& unit) {
  const uint64_t from = std::min<uint64_t>(unit.start - run.start, run_bytes.size());
  const uint64_t len = std::min<uint64_t>(unit.size, run_bytes.size() - from);
  return std::span<const uint8_t>(run_bytes).subspan(from, len);
}

}  // namespace

std::vector<Unit> join_units(const std::vector<Unit>& units, uint64_t max_bytes, bool same_action) {
  std::vector<Unit> runs;
  for (const auto& u : units) {
    if (!runs.empty()) {
      auto& last = runs.back();
      bool adjacent = last.start + last.size == u.start;
      bool fits = last.size + u.size <= max_bytes;
      if (adjacent && fits && (!same_action || last.action == u.action)) {
        last.size += u.size;
        continue;
      }
    }
    runs.push_back(u);
  }
  return runs;
}

std::vector<Unit> command_units(const std::vector<Unit>& units, const Capabilities& caps, bool same_action) {
  return caps.spans_units ? join_units(units, caps.max_chunk, same_action) : units;
}

Plan make_plan(const boards::Board& board, const std::vector<Image>& images, Session* session,
               const PlanOptions& options, Reporter& reporter) {
  validate(board, images, options);
  Plan plan;
  const bool compare = session && options.skip_unchanged && session->capabilities().can_read;
  uint64_t to_read = 0;
  for (const auto& img : images) {
    ImagePlan ip;
    ip.image = &img;
    ip.memory = board.memory(img.partition->memory);
    ip.units = units_for(*ip.memory, *img.partition, img);
    for (auto& u : ip.units) {
      bool all_ff = true;
      if (!img.erase_only) {
        auto e = expected_unit(ip, u);
        all_ff = std::all_of(e.begin(), e.end(), [](uint8_t b) { return b == 0xFF; });
      }
      const bool erasable = !ip.memory->erase_layout.empty();
      u.action = (all_ff && erasable) ? Action::erase_only : Action::write;
      u.reason = compare ? "changed" : (session && !session->capabilities().can_read ? "cannot read back" : "not compared");
      if (compare) to_read += u.size;
    }
    ip.compared = compare;
    plan.images.push_back(std::move(ip));
  }
  if (compare && to_read) {
    reporter.begin("read", to_read, "comparing with the device");
    uint64_t done = 0;
    const auto caps = session->capabilities();
    for (auto& ip : plan.images) {
      auto unit = ip.units.begin();
      for (const auto& run : command_units(ip.units, caps, false)) {
        const auto& part = *ip.image->partition;
        const auto expected = expected_unit(ip, run);
        const auto run_end = run.start + run.size;
        auto verdict = session->device_compare(part, run.start, expected);
        // A device-side "differs" over several units does not say which: read them.
        const bool read_back = !verdict || (*verdict == false && unit->size < run.size);
        std::vector<uint8_t> actual;
        if (read_back)
          actual = session->read(part, run.start, expected.size(), [&](size_t n) { reporter.progress(done + n); });
        for (; unit != ip.units.end() && unit->start < run_end; ++unit) {
          bool same = read_back ? std::ranges::equal(unit_bytes(expected, run, *unit), unit_bytes(actual, run, *unit))
                                : *verdict;
          if (same) {
            unit->action = Action::skip;
            unit->reason = "identical";
          }
        }
        done += run.size;
        reporter.progress(done);
      }
    }
    reporter.end();
  }
  // A bootloader whose erase clears everything above the address: nothing above the first
  // changed unit of a memory survives, so nothing there may be skipped.
  if (session && session->capabilities().erase_to_end) {
    std::map<std::string, uint64_t> erased_from;
    for (const auto& ip : plan.images)
      for (const auto& u : ip.units)
        if (u.action != Action::skip) {
          auto [it, fresh] = erased_from.emplace(ip.memory->name, u.start);
          if (!fresh) it->second = std::min(it->second, u.start);
        }
    for (auto& ip : plan.images) {
      auto it = erased_from.find(ip.memory->name);
      if (it == erased_from.end()) continue;
      for (auto& u : ip.units)
        if (u.action == Action::skip && u.start > it->second) {
          u.action = Action::write;
          u.reason = "erased with the units below it";
        }
    }
  }
  // Bootloaders that unlock a partition only on its first block need that block written
  // whenever anything else in the partition is.
  if (session)
    for (auto& ip : plan.images) {
      const auto& part = *ip.image->partition;
      if (!session->writes_start_at_partition_start(part) || ip.units.empty()) continue;
      bool any = std::any_of(ip.units.begin(), ip.units.end(), [](const Unit& u) { return u.action != Action::skip; });
      auto& first = ip.units.front();
      if (any && first.start == part.start && first.action == Action::skip) {
        first.action = Action::write;
        first.reason = "unlock";
      }
    }
  return plan;
}

}  // namespace omv::flash
