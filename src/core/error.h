#pragma once
// One error type for the whole tool. Each kind maps to one documented exit code
// (README "Exit codes"); the CLI prints the message on one line and the hint under it.
#include <stdexcept>
#include <string>

namespace omv {

enum class ErrorKind {
  failure,         // 1  anything not covered below
  usage,           // 2  bad command line, unknown TARGET
  bad_file,        // 3  a file omv was given is malformed, truncated or of the wrong format
  bad_board_data,  // 4  the board database (or a board_config.mk) is invalid
  no_device,       // 5  no matching device, or it vanished
  device_error,    // 6  the device answered with an error or garbage
  permission,      // 7  the OS refused access (udev rules, groups)
  verify_failed,   // 8  read-back differs from what was written
  refused,         // 9  a safety check refused the operation; nothing was written
  io,              // 10 local file system error (full disk, unreadable file)
  network,         // 11 download failed
  checksum,        // 12 a hash did not match
  missing_tool,    // 13 a required program or SDK is missing
  timeout,         // 14 the device or a process did not answer in time
  unsupported,     // 15 the feature cannot work for this board/host (yet)
  partial,         // 16 some of several devices failed (--all)
  interrupted,     // 130 Ctrl-C
};

int exit_code(ErrorKind kind);
const char* kind_name(ErrorKind kind);

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message, std::string hint = {});
  ErrorKind kind() const { return kind_; }
  const std::string& hint() const { return hint_; }

 private:
  ErrorKind kind_;
  std::string hint_;
};

[[noreturn]] void fail(ErrorKind kind, std::string message, std::string hint = {});

}  // namespace omv
