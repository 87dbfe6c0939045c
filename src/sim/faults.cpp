#include "sim/faults.h"

#include <algorithm>

#include "core/error.h"
#include "core/numbers.h"
#include "core/text.h"

namespace omv::sim {

const std::vector<std::string>& FaultPlan::kinds() {
  static const std::vector<std::string> k{"disconnect",  "stall",       "err_write",    "busy_forever",
                                           "wrong_phase", "probe_drop",  "probe_error",  "probe_silent",
                                           "probe_bad_crc"};
  return k;
}

void FaultPlan::arm(const std::string& spec) {
  auto at = spec.find('@');
  std::string kind = spec.substr(0, at);
  uint64_t bytes = 0;
  if (at != std::string::npos) {
    auto n = parse_u64(spec.substr(at + 1));
    if (!n) fail(ErrorKind::usage, "bad fault '" + spec + "': the part after @ must be a byte count",
                 "e.g. --fault disconnect@64K");
    bytes = *n;
  }
  if (std::find(kinds().begin(), kinds().end(), kind) == kinds().end())
    fail(ErrorKind::usage, "unknown fault '" + kind + "'", "known faults: " + join(kinds(), ", "));
  faults_.push_back({kind, out_bytes_ + bytes, false});
}

bool FaultPlan::fire(std::string_view kind) {
  for (auto& f : faults_)
    if (!f.fired && f.kind == kind && out_bytes_ >= f.at_bytes) {
      f.fired = true;
      return true;
    }
  return false;
}

bool FaultPlan::pending(std::string_view kind) const {
  return std::any_of(faults_.begin(), faults_.end(), [&](const Fault& f) { return !f.fired && f.kind == kind; });
}

nlohmann::json FaultPlan::stats() const {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& f : faults_) j.push_back({{"kind", f.kind}, {"at_bytes", f.at_bytes}, {"fired", f.fired}});
  return j;
}

}  // namespace omv::sim
