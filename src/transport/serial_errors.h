#pragma once
// What a failed open of a serial port means, in words a user can act on.
#include <string>

#include "core/error.h"

namespace omv::transport {

// The Error for open()/flock() failing on `path` with `err` (ENOENT, EBUSY, EACCES, ...).
Error serial_open_error(const std::string& path, int err);

}  // namespace omv::transport
