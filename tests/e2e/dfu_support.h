#pragma once
// Helpers for the DFU end-to-end tests: images and checks of the camera's memory files (the
// sim bus is support/sim_bus.h).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <random>
#include <string>
#include <thread>

#include "support/run.h"
#include "support/sim_bus.h"

namespace omv::test {

inline std::string random_bytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xFF);
  return s;
}

inline bool all_ff(const std::string& s, size_t from, size_t len) {
  for (size_t i = from; i < from + len; ++i)
    if (static_cast<uint8_t>(s[i]) != 0xFF) return false;
  return true;
}

}  // namespace omv::test
