#pragma once
// The real UsbBus: libusb-1.0. Devices that cannot be opened (EACCES) are still listed, with
// accessible = false and the udev hint; opening one throws Error{permission}.
// libusb keeps its device list current from udev's events; where no udev daemon runs (a minimal
// VM or container, some WSL set-ups) that list never changes after libusb_init, so the bus
// starts a fresh context before it looks again, whenever none of its devices is open.
#include <memory>

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
  void refresh_without_udev();

  libusb_context* ctx_ = nullptr;
  std::string init_error_;
  std::shared_ptr<int> open_devices_ = std::make_shared<int>(0);
};

// The hint printed for EACCES on Linux.
const char* udev_hint();

}  // namespace omv::transport
