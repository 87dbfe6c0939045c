#pragma once
// Runs a plan through a bootloader session: erase/write each unit that needs it (only the
// chunks that are not 0xFF after an erase), end each partition's download, read back with
// --verify, reset after the last image, and report one summary.
#include <nlohmann/json.hpp>

#include "flash/plan.h"
#include "flash/session.h"

namespace omv::flash {

struct ExecuteOptions {
  bool verify = false;
  bool reset = true;
};

struct Outcome {
  uint64_t written_bytes = 0;     // bytes sent to the device in writes
  uint64_t erased_bytes = 0;      // bytes of units erased without data
  uint64_t skipped_bytes = 0;     // bytes of identical units left alone
  uint64_t verified_bytes = 0;
  uint64_t image_bytes = 0;
  double seconds = 0;
  nlohmann::json to_json() const;
  std::string summary() const;    // "wrote 1.6 MiB, skipped 0 B, verified 1.6 MiB in 18.2 s (89 KB/s)"
};

// Throws Error{verify_failed} naming the first differing address.
Outcome execute(const boards::Board& board, const Plan& plan, Session& session, const ExecuteOptions& options,
                Reporter& reporter);

// Reads back every image and compares (omv verify, and --verify after writing).
uint64_t verify_images(const Plan& plan, Session& session, Reporter& reporter, bool only_changed);

}  // namespace omv::flash
