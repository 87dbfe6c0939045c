// A GDB server's memory map is untrusted XML: the parser returns regions or throws omv::Error.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "protocol/gdb/memory_map.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    auto map = omv::protocol::gdb::parse_memory_map(std::string_view(reinterpret_cast<const char*>(data), size));
    for (const auto& r : map.regions) (void)map.region_at(r.start);
  } catch (const omv::Error&) {
  }
  return 0;
}
