#include <cstring>
#include <string>

#include "core/error.h"
#include "platform/unix_address.h"

namespace omv::platform::posix_impl {

void make_unix_address(const std::filesystem::path& path, UnixAddress& a) {
  a.addr.sun_family = AF_UNIX;
  const std::string p = path.string();
  if (p.size() >= sizeof(a.addr.sun_path))
    fail(ErrorKind::io,
         "socket path " + p + " is " + std::to_string(p.size()) + " bytes; this OS takes at most " +
             std::to_string(sizeof(a.addr.sun_path) - 1),
         "use a shorter --bus folder (or TMPDIR)");
  std::memcpy(a.addr.sun_path, p.c_str(), p.size() + 1);
}

}  // namespace omv::platform::posix_impl
