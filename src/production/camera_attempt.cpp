#include "production/camera_attempt.h"

#include <fmt/format.h>

#include "production/station.h"
#include "production/utc_time.h"
#include "sdk/sha256.h"

namespace omv::production {

FlashRun describe_run(const boards::Board& board, const std::vector<flash::Image>& images, bool verify) {
  FlashRun run;
  run.board = board.target;
  run.station = station_name();
  run.omv_version = OMV_VERSION;
  run.verify = verify;
  for (const auto& image : images) {
    ImageDigest d;
    d.partition = image.partition ? image.partition->name : image.label;
    if (image.erase_only) {
      d.bytes = image.erase_length;
    } else {
      d.sha256 = sdk::sha256_hex(std::string_view(reinterpret_cast<const char*>(image.data.data()), image.data.size()));
      d.bytes = image.data.size();
    }
    run.images.push_back(std::move(d));
  }
  return run;
}

CameraAttempt::CameraAttempt(ProductionLog* log, const FlashRun& run, std::string serial, std::string port)
    : log_(log), start_(std::chrono::steady_clock::now()) {
  attempt_.time = iso8601_utc(Clock::now());
  attempt_.station = run.station;
  attempt_.board = run.board;
  attempt_.serial = std::move(serial);
  attempt_.port = std::move(port);
  attempt_.images = run.images;
  attempt_.verify = run.verify ? Verify::not_reached : Verify::off;
  attempt_.omv_version = run.omv_version;
}

void CameraAttempt::connected(const flash::Session& session) {
  const auto identity = session.identity();
  if (!identity.serial.empty()) attempt_.serial = identity.serial;
  if (attempt_.port.empty()) attempt_.port = identity.location;
  attempt_.bootloader_version = identity.bootloader_version;
}

void CameraAttempt::finish() {
  finished_ = true;
  attempt_.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  if (log_) log_->record(attempt_);
}

void CameraAttempt::succeeded(const flash::Outcome& outcome) {
  attempt_.ok = true;
  attempt_.bytes_written = outcome.written_bytes;
  attempt_.bytes_skipped = outcome.skipped_bytes;
  attempt_.bytes_erased = outcome.erased_bytes;
  if (attempt_.verify == Verify::not_reached) attempt_.verify = Verify::passed;
  try {
    finish();
  } catch (const Error& e) {
    throw Error(e.kind(), fmt::format("{} was flashed, but not logged: {}", attempt_.serial.empty() ? "the camera" : attempt_.serial, e.what()),
                e.hint());
  }
}

Error CameraAttempt::failed(const Error& error) {
  attempt_.ok = false;
  attempt_.error_kind = kind_name(error.kind());
  attempt_.error_message = error.what();
  if (error.kind() == ErrorKind::verify_failed) attempt_.verify = Verify::failed;
  try {
    finish();
  } catch (const Error& e) {
    return Error(error.kind(), fmt::format("{}; and it was not logged: {}", error.what(), e.what()), error.hint());
  }
  return error;
}

}  // namespace omv::production
