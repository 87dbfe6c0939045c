#pragma once
// Doing one job (flash, erase-fs) on every matching camera at once: one thread per camera, each
// reporting under its own source so the renderers show a line per camera; one camera failing
// never stops the others; a table of results at the end and Error{partial} when any failed.
#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/events.h"
#include "discovery/device.h"

namespace omv::discovery {

struct FleetOutcome {
  std::string camera;      // the source label: serial number, else location
  std::string location;    // where it was found
  bool ok = false;
  std::string message;     // the job's summary, or the error
  std::string hint;
  ErrorKind kind = ErrorKind::failure;
  double seconds = 0;
  nlohmann::json data;     // what the job returned
};

// The job runs once per camera, on its own thread, and throws omv::Error on failure.
using FleetJob = std::function<nlohmann::json(const Device& camera, Reporter& reporter)>;

std::string fleet_label(const Device& camera);
// One camera's job on the calling thread, under the camera's source; a failure is an error
// event and the outcome, never an exception. run_fleet runs this on a thread per camera, and
// watch mode for each camera as it arrives.
FleetOutcome run_fleet_job(const Device& camera, const FleetJob& job, EventSink& sink);
std::vector<FleetOutcome> run_fleet(const std::vector<Device>& cameras, const FleetJob& job, EventSink& sink);

// CAMERA  LOCATION  RESULT  TIME  DETAILS, one row per camera.
std::string fleet_table(const std::vector<FleetOutcome>& outcomes);
nlohmann::json to_json(const FleetOutcome& outcome);

// Emits the result event (the table, and the outcomes as data); throws Error{partial} naming
// the cameras that failed when any did (the only camera's own error when there was one).
void report_fleet(const std::vector<FleetOutcome>& outcomes, const std::string& what, Reporter& reporter);

}  // namespace omv::discovery
