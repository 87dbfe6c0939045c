#pragma once
// Which backend carries USB and HID traffic: the virtual cameras on a sim bus when a sim folder
// is given (--sim DIR / OMV_SIM=DIR), real devices (libusb, hidapi) otherwise. Every command
// gets its buses here, so nothing above the transport knows which one it has.
#include <memory>
#include <string>

#include "transport/hid.h"
#include "transport/usb.h"

namespace omv::transport {

std::unique_ptr<UsbBus> make_usb_bus(const std::string& sim_dir);
std::unique_ptr<HidBus> make_hid_bus(const std::string& sim_dir);

}  // namespace omv::transport
