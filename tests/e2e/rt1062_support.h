#pragma once
// A virtual OpenMV Cam RT1062 on its own sim bus for the end-to-end tests: started in a chosen
// mode, its external flash (flexspi.bin) and fuses (fuses.json) readable as files.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "support/camera_mode.h"
#include "support/run.h"

namespace omv::test {

inline constexpr uint64_t kRtFlashBase = 0x60000000;
inline constexpr uint64_t kRtFlashSize = 16ull * 1024 * 1024;
inline const std::string kRtSerial = "RT1062SIM0001";

inline std::string pattern_bytes(size_t n, unsigned seed) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (size_t i = 0; i < n; ++i) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    s[i] = static_cast<char>(x);
  }
  return s;
}

// What the RT1062's ROM accepts as a flashloader: an IVT at the load address whose entry point
// lies inside the image (or, with entry_outside, where nothing was loaded: it never answers).
inline std::string rt_flashloader(size_t size = 0x6000, bool entry_outside = false, uint32_t load = 0x20001C00) {
  std::string img = pattern_bytes(size, 99);
  auto put = [&](size_t at, uint32_t v) {
    for (size_t i = 0; i < 4; ++i) img[at + i] = static_cast<char>(v >> (8 * i));
  };
  img[0] = '\xD1';
  img[1] = 0;
  img[2] = 0x20;
  img[3] = 0x41;
  put(4, entry_outside ? 0x00200000u : load + 0x400);
  for (size_t at = 8; at < 20; at += 4) put(at, 0);
  put(20, load);
  put(24, 0);
  put(28, 0);
  return img;
}

class Rt1062 {
 public:
  explicit Rt1062(std::string time_scale = "200") : time_scale_(std::move(time_scale)) {}
  ~Rt1062() { omv({"sim", "stop", "--bus", bus()}); }

  std::string bus() const { return dir_.path().string(); }
  std::filesystem::path camera() const { return dir_.path() / kRtSerial; }
  std::filesystem::path file(const std::string& name) const { return dir_ / name; }

  // The camera's flash before it starts (it keeps an existing memory file of the right size).
  void seed_flash(const std::string& contents) const {
    std::filesystem::create_directories(camera());
    write_file(camera() / "flexspi.bin", contents);
  }
  bool wait_mode(const std::string& mode, std::chrono::milliseconds limit) const {
    return wait_for_camera_mode(camera(), mode, limit);
  }
  void set_window_ms(uint64_t ms) const {
    std::filesystem::create_directories(camera());
    write_file(camera() / "rt1062.json", nlohmann::json{{"sbl_window_ms", ms}}.dump());
  }
  void start(const std::string& mode, const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args{"sim", "start", "OPENMV_RT1060", "--bus", bus(), "--serial", kRtSerial,
                                  "--time-scale", time_scale_};
    if (mode == "app") args.push_back("--app");
    else args.insert(args.end(), {"--mode", mode});
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = omv(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  RunResult run(std::vector<std::string> args) const {
    args.insert(args.begin(), {"--sim", bus()});
    return omv(args);
  }
  std::string flash() const { return read_file(camera() / "flexspi.bin"); }
  std::string flash_at(uint64_t address, size_t length) const { return flash().substr(address - kRtFlashBase, length); }
  nlohmann::json fuses() const {
    auto p = camera() / "fuses.json";
    if (!std::filesystem::exists(p)) return nlohmann::json::object();
    return nlohmann::json::parse(read_file(p));
  }
  uint64_t fuse_burns(const std::string& word = "0x06") const {
    auto f = fuses();
    return f.contains("burns") && f["burns"].contains(word) ? f["burns"][word].get<uint64_t>() : 0;
  }
  nlohmann::json stats() const {
    auto r = omv({"sim", "stats", "--bus", bus(), "--serial", kRtSerial, "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }
  nlohmann::json device() const { return nlohmann::json::parse(read_file(camera() / "device.json"), nullptr, false); }

 private:
  std::string time_scale_;
  TempDir dir_;
};

inline bool all_erased(const std::string& bytes) { return bytes.find_first_not_of('\xFF') == std::string::npos; }

}  // namespace omv::test
