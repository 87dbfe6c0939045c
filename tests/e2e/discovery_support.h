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
#include "support/sim_bus.h"

namespace omv::test {

inline const nlohmann::json* find_serial(const nlohmann::json& list, const std::string& serial) {
  for (const auto& d : list)
    if (d.value("serial", "") == serial) return &d;
  return nullptr;
}

}  // namespace omv::test
