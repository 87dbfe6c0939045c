#pragma once
// Test data for the unit tests: n bytes that differ from one erase unit, page and seed to the next.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace omv::test_data {

inline std::vector<uint8_t> pattern(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(seed + i * 13 + (i >> 8));
  return v;
}

}  // namespace omv::test_data
