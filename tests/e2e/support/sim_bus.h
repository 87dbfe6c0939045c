#pragma once
// A temporary sim bus for end-to-end tests: virtual cameras started in any mode, the omv binary
// pointed at them, and their state (device.json, counters, memory files). The cameras stop when
// the test ends.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <vector>

#include "support/camera_mode.h"
#include "support/run.h"

namespace omv::test {

class SimBus {
 public:
  SimBus() = default;
  ~SimBus() { omv({"sim", "stop", "--bus", dir_.path().string()}); }
  std::string path() const { return dir_.path().string(); }
  std::filesystem::path camera(const std::string& serial) const { return dir_.path() / serial; }

  // In the board's bootloader, its flash timing off (time scale 0).
  void start(const std::string& target, const std::string& serial, const std::vector<std::string>& extra = {}) const {
    std::vector<std::string> args{"sim", "start", target, "--bus", path(), "--serial", serial, "--time-scale", "0"};
    args.insert(args.end(), extra.begin(), extra.end());
    auto r = omv(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  // Running its firmware; `firmware` is the camera's app.json (protocol, versions, behaviour).
  void start_app(const std::string& target, const std::string& serial, const nlohmann::json& firmware = {},
                 const std::string& time_scale = "10") const {
    std::filesystem::create_directories(camera(serial));
    if (!firmware.is_null()) write_file(camera(serial) / "app.json", firmware.dump());
    auto r = omv({"sim", "start", target, "--bus", path(), "--serial", serial, "--app", "--time-scale", time_scale});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  void start_mode(const std::string& target, const std::string& serial, const std::string& mode) const {
    auto r = omv({"sim", "start", target, "--bus", path(), "--serial", serial, "--mode", mode, "--time-scale", "0"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  void stop(const std::string& serial) const { omv({"sim", "stop", "--bus", path(), "--serial", serial}); }

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
  nlohmann::json device(const std::string& serial) const {
    return nlohmann::json::parse(read_file(camera(serial) / "device.json"), nullptr, false);
  }
  // Waits (bounded) until the camera is in `mode`; returns whether it got there.
  bool wait_mode(const std::string& serial, const std::string& mode, std::chrono::milliseconds limit) const {
    return wait_for_camera_mode(camera(serial), mode, limit);
  }
  nlohmann::json list() const {
    auto r = omv({"list", "--sim", path(), "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return nlohmann::json::parse(r.out, nullptr, false);
  }

 private:
  TempDir dir_;
};

}  // namespace omv::test
