#pragma once
// DfuSe memory-layout strings (an alt setting's iInterface, UM0424 §4.3.2):
//   @Internal Flash  /0x08000000/04*016Kg,01*064Kg,07*128Kg[/0xADDR/...]
// Counts are decimal even with leading zeros; the multiplier is B, K, M or a space (bytes); the
// type letter a..g is a bit set (letter & 7): 1 readable, 2 erasable, 4 writable. A type letter
// in the multiplier position means bytes. The name "Device Feature" is always rw (as dfu-util).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omv::dfu {

struct LayoutSegment {
  uint64_t start = 0;
  uint64_t end = 0;        // exclusive
  uint64_t page_size = 0;  // erase unit
  uint8_t attributes = 0;  // bit0 readable, bit1 erasable, bit2 writable
  bool readable() const { return attributes & 1; }
  bool erasable() const { return attributes & 2; }
  bool writable() const { return attributes & 4; }
};

struct MemoryLayout {
  std::string name;
  std::vector<LayoutSegment> segments;
  const LayoutSegment* find(uint64_t addr) const;
  // The page containing addr: [start, start + page_size).
  std::optional<uint64_t> page_start(uint64_t addr) const;
};

// nullopt with a one-line reason in *error (naming the offset) when the string is malformed.
std::optional<MemoryLayout> parse_memory_layout(std::string_view text, std::string* error = nullptr);

}  // namespace omv::dfu
