#include "transport/bus_factory.h"

#include "transport/libusb_hid.h"
#include "transport/libusb_usb.h"
#include "transport/sim_hid.h"
#include "transport/sim_usb.h"

namespace omv::transport {

std::unique_ptr<UsbBus> make_usb_bus(const std::string& sim_dir) {
  if (!sim_dir.empty()) return std::make_unique<SimUsbBus>(sim_dir);
  return std::make_unique<LibusbBus>();
}

std::unique_ptr<HidBus> make_hid_bus(const std::string& sim_dir) {
  if (!sim_dir.empty()) return std::make_unique<SimHidBus>(sim_dir);
  return std::make_unique<HidapiBus>();
}

}  // namespace omv::transport
