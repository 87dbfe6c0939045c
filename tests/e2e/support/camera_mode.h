#pragma once
// Waiting in a test for a virtual camera to reach a mode, read from its published device.json.
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <string>
#include <thread>

#include "support/run.h"

namespace omv::test {

// Waits (bounded) until the camera in `camera_dir` publishes `mode`; returns whether it did.
inline bool wait_for_camera_mode(const std::filesystem::path& camera_dir, const std::string& mode,
                                 std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    auto d = nlohmann::json::parse(read_file(camera_dir / "device.json"), nullptr, false);
    if (d.is_object() && d.value("mode", "") == mode) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

}  // namespace omv::test
