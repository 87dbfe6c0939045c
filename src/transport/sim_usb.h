#pragma once
// The sim backend of UsbBus: the virtual cameras on a sim bus folder, reached over their Unix
// sockets. Engines cannot tell it from libusb.
#include <filesystem>

#include "transport/usb.h"

namespace omv::transport {

class SimUsbBus : public UsbBus {
 public:
  explicit SimUsbBus(std::filesystem::path bus);
  std::vector<UsbDeviceInfo> enumerate() override;
  std::unique_ptr<UsbDevice> open(const UsbDeviceInfo& device) override;
  std::optional<UsbDeviceInfo> wait_for(const UsbMatch& match, Millis timeout) override;

 private:
  std::filesystem::path bus_;
};

}  // namespace omv::transport
