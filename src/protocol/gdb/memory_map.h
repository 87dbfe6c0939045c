#pragma once
// The memory map a GDB server sends for `qXfer:memory-map:read` (gdb's memory-map.dtd):
// <memory type="ram|rom|flash" start=".." length=".."> with, for flash, a
// <property name="blocksize">; numbers as strtoul base 0 reads them (0x hex, 0 octal, decimal).
// Text between elements is ignored (probe-rs leaves literal "\n" there).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omv::protocol::gdb {

struct MemoryRegion {
  enum class Type { ram, rom, flash };
  Type type = Type::ram;
  uint64_t start = 0;
  uint64_t length = 0;
  uint64_t blocksize = 0;  // flash only: the erase unit

  uint64_t end() const { return start + length; }
  bool contains(uint64_t address) const { return address >= start && address - start < length; }
};
const char* to_string(MemoryRegion::Type type);

struct MemoryMap {
  std::vector<MemoryRegion> regions;  // sorted by start, not overlapping
  const MemoryRegion* region_at(uint64_t address) const;
};

// Throws Error{device_error} naming the offset and what was wrong: unknown type, a number that
// does not parse, flash without blocksize, overlapping regions.
MemoryMap parse_memory_map(std::string_view xml);

}  // namespace omv::protocol::gdb
