// DfuSe memory-layout strings come from a device's iInterface: the parser must never crash,
// and what it accepts must be self-consistent.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "protocol/dfu/dfuse_layout.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  std::string why;
  auto layout = omv::dfu::parse_memory_layout(text, &why);
  if (!layout) return 0;
  for (const auto& s : layout->segments) {
    if (s.page_size == 0 || s.end <= s.start || s.end > (1ull << 32) || (s.end - s.start) % s.page_size) std::abort();
    auto page = layout->page_start(s.start);
    if (!page || *page != s.start) std::abort();
  }
  return 0;
}
