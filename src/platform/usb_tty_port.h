#pragma once
// The physical USB port ("1-4.2", the same name libusb's port path gives) a serial device sits
// on, so one camera's serial port and its USB device are known to be the same board. Linux
// reads it from /sys/class/tty; POSIX cannot tell and returns "" (callers then match by serial
// number, as they do for devices without one).
#include <string>

#include "platform/os.h"

namespace omv::platform {

#define OMV_PLATFORM_USB_TTY_PORT std::string usb_port_of_tty(const std::string& tty_path);
namespace linux_impl { OMV_PLATFORM_USB_TTY_PORT }
namespace posix_impl { OMV_PLATFORM_USB_TTY_PORT }
#undef OMV_PLATFORM_USB_TTY_PORT

}  // namespace omv::platform
