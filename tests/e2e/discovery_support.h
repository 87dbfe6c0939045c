#pragma once
// Shared by the discovery and fleet end-to-end tests: virtual cameras started in application
// mode (optionally with faulty firmware), and their state on the bus.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <string>

#include "support/camera_mode.h"
#include "support/run.h"

namespace omv::test {

// A sim bus that stops its cameras when the test ends.
class SimBus {
 public:
  SimBus() = default;
  ~SimBus() { omv({"sim", "stop", "--bus", dir_.path().string()}); }
  std::string path() const { return dir_.path().string(); }
  std::filesystem::path camera(const std::string& serial) const { return dir_.path() / serial; }

  // `firmware`: the camera's app.json (protocol, versions, behaviour).
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

inline const nlohmann::json* find_serial(const nlohmann::json& list, const std::string& serial) {
  for (const auto& d : list)
    if (d.value("serial", "") == serial) return &d;
  return nullptr;
}

}  // namespace omv::test
