#pragma once
// One attempt at flashing one camera, as the production log keeps it: one row whether the
// attempt succeeded or not.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omv::production {

// An image the attempt put on the camera. An erase-only region (--erase-fs) has no digest.
struct ImageDigest {
  std::string partition;
  std::string sha256;  // 64 lower-case hex digits; empty for an erased region
  uint64_t bytes = 0;
};

enum class Verify {
  off,          // not asked for
  passed,
  failed,
  not_reached,  // asked for, but the attempt ended before it
};
const char* verify_name(Verify verify);
std::optional<Verify> parse_verify(std::string_view name);

struct Attempt {
  int64_t id = 0;                   // given by the log
  std::string time;                 // when it started, UTC ISO-8601 (utc_time.h)
  std::string station;              // host name
  std::string board;                // TARGET
  std::string serial;               // empty when no camera was found
  std::string port;                 // where the camera was found
  std::string bootloader_version;   // as the bootloader reports it; empty when it does not
  std::vector<ImageDigest> images;
  // Counted by the flash when it finished; unknown (nullopt) when the attempt failed.
  std::optional<uint64_t> bytes_written, bytes_skipped, bytes_erased;
  Verify verify = Verify::off;
  double seconds = 0;
  bool ok = false;
  std::string error_kind;           // omv::kind_name; empty when ok
  std::string error_message;
  std::string omv_version;
};

nlohmann::json to_json(const Attempt& attempt);

// The CSV columns, and one attempt's fields in that order (images as PARTITION=SHA256:BYTES;...).
std::vector<std::string> csv_header();
std::vector<std::string> csv_fields(const Attempt& attempt);

}  // namespace omv::production
