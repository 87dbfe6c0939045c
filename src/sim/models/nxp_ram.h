#pragma once
// The RT1062's on-chip RAM as the ROM and the flashloader see it (ITCM, DTCM, OCRAM), allocated
// on first use. Contents are lost with every reset, as RAM is.
#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace omv::sim {

class NxpRam {
 public:
  struct Region {
    uint32_t base, size;
    const char* name;
  };
  static constexpr std::array<Region, 3> kRegions{{{0x00000000, 0x80000, "ITCM"},
                                                   {0x20000000, 0x80000, "DTCM"},
                                                   {0x20200000, 0x100000, "OCRAM"}}};

  // The region index holding [addr, addr+length), if one does.
  static std::optional<size_t> region_of(uint64_t addr, uint64_t length) {
    for (size_t i = 0; i < kRegions.size(); ++i) {
      const auto& r = kRegions[i];
      if (addr >= r.base && length <= r.size && addr - r.base <= r.size - length) return i;
    }
    return std::nullopt;
  }
  static bool contains(uint64_t addr, uint64_t length) { return region_of(addr, length).has_value(); }

  bool write(uint64_t addr, std::span<const uint8_t> data) {
    auto i = region_of(addr, data.size());
    if (!i) return false;
    auto& mem = storage(*i);
    std::copy(data.begin(), data.end(), mem.begin() + static_cast<std::ptrdiff_t>(addr - kRegions[*i].base));
    return true;
  }
  std::optional<std::vector<uint8_t>> read(uint64_t addr, size_t length) {
    auto i = region_of(addr, length);
    if (!i) return std::nullopt;
    auto& mem = storage(*i);
    auto from = mem.begin() + static_cast<std::ptrdiff_t>(addr - kRegions[*i].base);
    return std::vector<uint8_t>(from, from + static_cast<std::ptrdiff_t>(length));
  }
  std::optional<uint32_t> word(uint64_t addr) {
    auto b = read(addr, 4);
    if (!b) return std::nullopt;
    return static_cast<uint32_t>((*b)[0]) | static_cast<uint32_t>((*b)[1]) << 8 | static_cast<uint32_t>((*b)[2]) << 16 |
           static_cast<uint32_t>((*b)[3]) << 24;
  }

 private:
  std::vector<uint8_t>& storage(size_t i) {
    if (mem_[i].empty()) mem_[i].assign(kRegions[i].size, 0);
    return mem_[i];
  }
  std::array<std::vector<uint8_t>, 3> mem_;
};

}  // namespace omv::sim
