#include <fmt/format.h>

#include "core/error.h"
#include "platform/custom_baud.h"

namespace omv::platform::posix_impl {

void set_custom_baud(int, uint32_t baud, const std::string& path) {
  fail(ErrorKind::unsupported, fmt::format("{}: baud rate {} is not a standard termios rate", path, baud),
       "this host can only set 1200, 9600, 115200, 230400, 460800 or 921600 baud");
}

}  // namespace omv::platform::posix_impl
