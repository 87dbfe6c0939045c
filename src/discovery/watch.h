#pragma once
// Watch mode (omv flash --watch): cameras of one board are flashed as they are plugged in, each
// on its own thread through the same per-camera job as --all (run_fleet_job), while the bus is
// watched for the next. A camera is known by its serial number, so it is flashed once per
// session: the re-enumerations of its own flash (into its bootloader, back into its firmware)
// are not arrivals, and a re-plug is only flashed again when `again` is set.
#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "boards/board.h"
#include "discovery/fleet.h"
#include "discovery/identify.h"
#include "discovery/sources.h"

namespace omv::discovery {

struct WatchOptions {
  size_t max = 0;     // stop once this many attempts have ended (0: until stopped)
  bool again = false; // flash a camera again when it is unplugged and plugged back in
  // After its flash ended, how long a camera may take to come back (its reset into the firmware)
  // before being absent counts as unplugged.
  std::chrono::milliseconds settle{3000};
};

struct WatchResult {
  std::vector<FleetOutcome> outcomes;  // one per attempt, in the order they ended
  std::vector<std::string> ignored;    // devices of other boards (or in a mode omv cannot flash)
  std::vector<std::string> refused;    // serial numbers seen on two ports at once
  bool interrupted = false;            // stopped by `stop` rather than by `max`
};

// A successful attempt that wrote and erased nothing: the camera already held the images.
bool already_identical(const FleetOutcome& outcome);

// Called when a camera is taken on (before its job starts): a row for the live table.
using WatchArrival = std::function<void(const std::string& label, const Device& camera)>;

// Watches until `stop` is set or `options.max` attempts have ended; then waits for the cameras in
// progress. Arrivals, ignored devices and refusals are info/warning events on `reporter`; each
// camera's events carry its label as their source.
WatchResult watch_fleet(const boards::Board& board, const IdentityTable& table, const Sources& sources,
                        const WatchOptions& options, const FleetJob& job, EventSink& sink, Reporter& reporter,
                        const WatchArrival& arrival, const std::atomic<bool>& stop);

}  // namespace omv::discovery
