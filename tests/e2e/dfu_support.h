#pragma once
// Helpers for the DFU end-to-end tests: virtual cameras on a temporary sim bus, images, and
// the camera's memory files.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <random>
#include <string>
#include <thread>

#include "support/run.h"

namespace omv::test {

inline std::string random_bytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xFF);
  return s;
}

class SimBus {
 public:
  SimBus() = default;
  ~SimBus() { omv({"sim", "stop", "--bus", dir_.path().string()}); }
  std::string path() const { return dir_.path().string(); }
  std::filesystem::path camera(const std::string& serial) const { return dir_.path() / serial; }

  void start(const std::string& target, const std::string& serial, const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{"sim", "start", target, "--bus", path(), "--serial", serial, "--time-scale", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = omv(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  void stop(const std::string& serial) { omv({"sim", "stop", "--bus", path(), "--serial", serial}); }

  // omv with --sim pointing at this bus.
  RunResult run(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--sim", path()});
    return omv(args);
  }

  nlohmann::json stats(const std::string& serial) const {
    auto r = omv({"sim", "stats", "--bus", path(), "--serial", serial, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out.empty() ? "{}" : r.out);
  }

  std::string memory(const std::string& serial, const std::string& name) const {
    return read_file(camera(serial) / (name + ".bin"));
  }

 private:
  TempDir dir_;
};

inline bool all_ff(const std::string& s, size_t from, size_t len) {
  for (size_t i = from; i < from + len; ++i)
    if (static_cast<uint8_t>(s[i]) != 0xFF) return false;
  return true;
}

}  // namespace omv::test
