#pragma once
// Starting and stopping virtual camera processes on a sim bus, and talking to them as an
// operator (stats, faults). Used by `omv sim` and by tests/benchmarks through the omv binary.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "boards/board.h"
#include "sim/flash_memory.h"
#include "sim/probe/probe_server.h"

namespace omv::sim {

struct StartOptions {
  std::filesystem::path bus;
  std::string serial;               // empty: derived from the board (stable across restarts)
  std::string mode = "bootloader";
  double time_scale = 1;
  std::vector<std::string> faults;  // "KIND@BYTES"
  uint64_t generation = 1;          // the first device.json generation (continues across a handover)
  std::map<std::string, FlashCounters> carried_counters;  // flash counters from the host before a handover
  ProbeOptions probe;               // a GDB server beside the camera (flavour empty: none)
};

struct StartedCamera {
  std::string serial;
  int pid = 0;
  std::filesystem::path dir;
  uint64_t generation = 0;
};

// A chip-UID-like serial (24 uppercase hex digits) derived from the target name.
std::string default_serial(const boards::Board& board);

// Forks the camera process and returns once it serves (device.json published). Throws with the
// camera's own error when it cannot start.
StartedCamera start_camera(const boards::Board& board, const StartOptions& options);

// Asks the camera to exit and waits for it. Returns false if it was not running.
bool stop_camera(const std::filesystem::path& bus, const std::string& serial);

nlohmann::json camera_stats(const std::filesystem::path& bus, const std::string& serial);
void arm_fault(const std::filesystem::path& bus, const std::string& serial, const std::string& spec);

}  // namespace omv::sim
