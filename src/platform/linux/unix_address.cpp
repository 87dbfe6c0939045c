#include <fcntl.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "core/error.h"
#include "platform/unix_address.h"

namespace omv::platform::linux_impl {

void make_unix_address(const std::filesystem::path& path, UnixAddress& a) {
  a.addr.sun_family = AF_UNIX;
  std::string p = path.string();
  if (p.size() >= sizeof(a.addr.sun_path)) {
    a.dir_fd = ::open(path.parent_path().c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (a.dir_fd < 0) fail(ErrorKind::io, "cannot open folder " + path.parent_path().string() + ": " + std::strerror(errno));
    p = "/proc/self/fd/" + std::to_string(a.dir_fd) + "/" + path.filename().string();
  }
  std::memcpy(a.addr.sun_path, p.c_str(), p.size() + 1);
}

}  // namespace omv::platform::linux_impl
