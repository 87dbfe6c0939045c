#include "sim/probe/probe_target.h"

#include <algorithm>
#include <cstring>

namespace omv::sim {
namespace {

using protocol::gdb::MemoryRegion;

bool overlaps(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size) { return a < b + b_size && b < a + a_size; }

}  // namespace

ProbeTarget::ProbeTarget(MemoryBank& memories) {
  for (auto& fm : memories.all()) {
    const auto& m = fm->memory();
    if (m.kind == "otp") continue;  // fuses and one-time areas are not on the CPU's bus
    const uint64_t cpu_base = m.xip_base.value_or(m.base);
    const bool clash = std::any_of(mappings_.begin(), mappings_.end(), [&](const Mapping& other) {
      return overlaps(cpu_base, m.size, other.cpu_base, other.size);
    });
    if (clash) continue;
    mappings_.push_back({fm.get(), cpu_base, m.size});
    if (m.erase_layout.empty()) {
      regions_.push_back({MemoryRegion::Type::ram, cpu_base, m.size, 0});
      continue;
    }
    // One flash region per run of equal blocks, as OpenOCD lists sectors.
    uint64_t at = cpu_base;
    for (const auto& run : m.erase_layout) {
      if (!regions_.empty() && regions_.back().type == MemoryRegion::Type::flash && regions_.back().blocksize == run.size &&
          regions_.back().end() == at)
        regions_.back().length += run.count * run.size;
      else
        regions_.push_back({MemoryRegion::Type::flash, at, run.count * run.size, run.size});
      at += run.count * run.size;
    }
  }
  const bool ram_clash = std::any_of(mappings_.begin(), mappings_.end(), [](const Mapping& other) {
    return overlaps(kProbeRamBase, kProbeRamSize, other.cpu_base, other.size);
  });
  if (!ram_clash) {
    mappings_.push_back({nullptr, kProbeRamBase, kProbeRamSize});
    regions_.push_back({MemoryRegion::Type::ram, kProbeRamBase, kProbeRamSize, 0});
  }
  std::sort(regions_.begin(), regions_.end(), [](const auto& a, const auto& b) { return a.start < b.start; });
}

const ProbeTarget::Mapping* ProbeTarget::mapping_at(uint64_t address, uint64_t length) const {
  for (const auto& m : mappings_)
    if (address >= m.cpu_base && address - m.cpu_base <= m.size && length <= m.size - (address - m.cpu_base)) return &m;
  return nullptr;
}

void ProbeTarget::charge(uint64_t bytes, Access access) {
  std::chrono::nanoseconds t{0};
  if (access == Access::probe) {
    const uint64_t words = (bytes + 3) / 4;
    t = std::chrono::nanoseconds(words * kSwdBitsPerWord * 1'000'000'000ull / kSwdClockHz);
    swd_total_ += t;
  } else {
    t = std::chrono::nanoseconds(bytes * 1'000'000'000ull / kOnChipBytesPerSecond);
    on_chip_total_ += t;
  }
  pending_ += t;
}

bool ProbeTarget::read(uint64_t address, std::span<uint8_t> out, Access access) {
  const auto* m = mapping_at(address, out.size());
  if (!m) return false;
  charge(out.size(), access);
  if (!m->memory) {
    std::memcpy(out.data(), ram_.data() + (address - m->cpu_base), out.size());
    return true;
  }
  const auto& mem = m->memory->memory();
  auto bytes = m->memory->read(mem.base + (address - m->cpu_base), out.size());
  std::copy(bytes.begin(), bytes.end(), out.begin());
  return true;
}

bool ProbeTarget::write(uint64_t address, std::span<const uint8_t> data) {
  const auto* m = mapping_at(address, data.size());
  if (!m || (m->memory && m->memory->has_erase())) return false;
  charge(data.size(), Access::probe);
  if (!m->memory) {
    std::memcpy(ram_.data() + (address - m->cpu_base), data.data(), data.size());
    return true;
  }
  m->memory->program(m->memory->memory().base + (address - m->cpu_base), data);
  return true;
}

bool ProbeTarget::erase_block(uint64_t address) {
  const auto* m = mapping_at(address, 1);
  if (!m || !m->memory || !m->memory->has_erase()) return false;
  const uint64_t at = m->memory->memory().base + (address - m->cpu_base);
  if (!m->memory->is_unit_start(at)) return false;
  m->memory->erase_unit(at);
  return true;
}

bool ProbeTarget::program(uint64_t address, std::span<const uint8_t> data) {
  const auto* m = mapping_at(address, data.size());
  if (!m || !m->memory || !m->memory->has_erase()) return false;
  charge(data.size(), Access::probe);
  m->memory->program(m->memory->memory().base + (address - m->cpu_base), data);
  return true;
}

std::chrono::nanoseconds ProbeTarget::take_busy_time() {
  auto t = pending_;
  pending_ = {};
  return t;
}

}  // namespace omv::sim
