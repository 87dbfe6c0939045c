#include "core/error.h"

namespace omv {

int exit_code(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::failure: return 1;
    case ErrorKind::usage: return 2;
    case ErrorKind::bad_file: return 3;
    case ErrorKind::bad_board_data: return 4;
    case ErrorKind::no_device: return 5;
    case ErrorKind::device_error: return 6;
    case ErrorKind::permission: return 7;
    case ErrorKind::verify_failed: return 8;
    case ErrorKind::refused: return 9;
    case ErrorKind::io: return 10;
    case ErrorKind::network: return 11;
    case ErrorKind::checksum: return 12;
    case ErrorKind::missing_tool: return 13;
    case ErrorKind::timeout: return 14;
    case ErrorKind::unsupported: return 15;
    case ErrorKind::partial: return 16;
    case ErrorKind::interrupted: return 130;
  }
  return 1;
}

const char* kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::failure: return "failure";
    case ErrorKind::usage: return "usage";
    case ErrorKind::bad_file: return "bad_file";
    case ErrorKind::bad_board_data: return "bad_board_data";
    case ErrorKind::no_device: return "no_device";
    case ErrorKind::device_error: return "device_error";
    case ErrorKind::permission: return "permission";
    case ErrorKind::verify_failed: return "verify_failed";
    case ErrorKind::refused: return "refused";
    case ErrorKind::io: return "io";
    case ErrorKind::network: return "network";
    case ErrorKind::checksum: return "checksum";
    case ErrorKind::missing_tool: return "missing_tool";
    case ErrorKind::timeout: return "timeout";
    case ErrorKind::unsupported: return "unsupported";
    case ErrorKind::partial: return "partial";
    case ErrorKind::interrupted: return "interrupted";
  }
  return "failure";
}

Error::Error(ErrorKind kind, std::string message, std::string hint)
    : std::runtime_error(std::move(message)), kind_(kind), hint_(std::move(hint)) {}

void fail(ErrorKind kind, std::string message, std::string hint) {
  throw Error(kind, std::move(message), std::move(hint));
}

}  // namespace omv
