#pragma once
// One camera's flash attempt as it becomes a row of the production log: started when the
// camera's flash starts, filled in as it goes (the serial and bootloader version once the
// bootloader answers), and recorded when it ends, whether it ended well or not.
#include <chrono>
#include <string>
#include <vector>

#include "boards/board.h"
#include "core/error.h"
#include "flash/executor.h"
#include "flash/plan.h"
#include "flash/session.h"
#include "production/attempt.h"
#include "production/production_log.h"

namespace omv::production {

// What every attempt of one flash command shares, worked out once before the first camera.
struct FlashRun {
  std::string board;
  std::string station;
  std::string omv_version;
  std::vector<ImageDigest> images;  // SHA-256 of each image, by partition
  bool verify = false;
};

FlashRun describe_run(const boards::Board& board, const std::vector<flash::Image>& images, bool verify);

class CameraAttempt {
 public:
  // With no log (nullptr), nothing is recorded.
  CameraAttempt(ProductionLog* log, const FlashRun& run, std::string serial, std::string port);

  void connected(const flash::Session& session);
  // Records the row; throws Error (naming the log) when it cannot be written.
  void succeeded(const flash::Outcome& outcome);
  // Records the row and returns the error to throw: `error` itself, or, when the row could not
  // be written either, `error` with the log's failure added to its message.
  Error failed(const Error& error);
  bool finished() const { return finished_; }

 private:
  void finish();

  ProductionLog* log_;
  Attempt attempt_;
  std::chrono::steady_clock::time_point start_;
  bool finished_ = false;
};

}  // namespace omv::production
