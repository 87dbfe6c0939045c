#include "platform/exe_path.h"

#ifdef __APPLE__
#include <mach-o/dyld.h>

#include <cstdint>
#include <vector>
#endif

namespace omv::platform::posix_impl {

std::optional<std::filesystem::path> executable_path() {
  std::error_code ec;
#ifdef __APPLE__
  uint32_t size = 0;
  _NSGetExecutablePath(nullptr, &size);
  std::vector<char> buf(size + 1, '\0');
  if (_NSGetExecutablePath(buf.data(), &size) == 0) {
    auto real = std::filesystem::canonical(buf.data(), ec);
    return ec ? std::filesystem::path(buf.data()) : real;
  }
#endif
  for (const char* link : {"/proc/self/exe", "/proc/curproc/file"}) {
    auto self = std::filesystem::read_symlink(link, ec);
    if (!ec) return self;
  }
  return std::nullopt;
}

}  // namespace omv::platform::posix_impl
