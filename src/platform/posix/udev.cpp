#include <filesystem>

#include "platform/udev.h"

namespace omv::platform::posix_impl {

bool has_udev() {
  std::error_code ec;
  return std::filesystem::exists("/etc/udev", ec) || std::filesystem::exists("/run/udev", ec);
}

}  // namespace omv::platform::posix_impl
