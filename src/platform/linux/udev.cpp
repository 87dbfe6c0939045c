#include "platform/udev.h"

namespace omv::platform::linux_impl {

bool has_udev() { return true; }

}  // namespace omv::platform::linux_impl
