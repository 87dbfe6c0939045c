#include "platform/unix_address.h"

#include <unistd.h>

namespace omv::platform {

UnixAddress::~UnixAddress() {
  if (dir_fd >= 0) ::close(dir_fd);
}

}  // namespace omv::platform
