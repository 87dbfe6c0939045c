#include "platform/exe_path.h"

namespace omv::platform::linux_impl {

std::optional<std::filesystem::path> executable_path() {
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) return std::nullopt;
  return self;
}

}  // namespace omv::platform::linux_impl
