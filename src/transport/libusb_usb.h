#pragma once
// The real UsbBus: libusb-1.0. Devices that cannot be opened (EACCES) are still listed, with
// accessible = false and the udev hint; opening one throws Error{permission}.
#include "transport/usb.h"

struct libusb_context;

namespace omv::transport {

class LibusbBus : public UsbBus {
 public:
  LibusbBus();
  ~LibusbBus() override;
  LibusbBus(const LibusbBus&) = delete;
  LibusbBus& operator=(const LibusbBus&) = delete;

  std::vector<UsbDeviceInfo> enumerate() override;
  std::unique_ptr<UsbDevice> open(const UsbDeviceInfo& device) override;
  std::optional<UsbDeviceInfo> wait_for(const UsbMatch& match, Millis timeout) override;

 private:
  libusb_context* ctx_ = nullptr;
  std::string init_error_;
};

// The hint printed for EACCES on Linux.
const char* udev_hint();

}  // namespace omv::transport
