#pragma once
// The serial port of a USB device: its CDC-ACM tty. Real devices are matched through
// libserialport (VID:PID, serial number, USB socket); a virtual camera on a sim bus publishes
// its pseudo-terminal in BUS/<serial>/serial.json.
#include <optional>
#include <string>

#include "transport/usb.h"

namespace omv::transport {

std::optional<std::string> serial_port_of(const UsbDeviceInfo& device);

}  // namespace omv::transport
