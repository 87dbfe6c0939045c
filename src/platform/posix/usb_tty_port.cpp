#include "platform/usb_tty_port.h"

namespace omv::platform::posix_impl {

std::string usb_port_of_tty(const std::string&) { return {}; }

}  // namespace omv::platform::posix_impl
