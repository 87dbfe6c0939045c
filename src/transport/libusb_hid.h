#pragma once
// The real HidBus: hidapi (its libusb flavour, hidapi-libusb).
#include "transport/hid.h"

namespace omv::transport {

class HidapiBus : public HidBus {
 public:
  HidapiBus();
  ~HidapiBus() override;
  HidapiBus(const HidapiBus&) = delete;
  HidapiBus& operator=(const HidapiBus&) = delete;
  std::vector<HidDeviceInfo> enumerate() override;
  std::unique_ptr<HidDevice> open(const HidDeviceInfo& device) override;
  std::optional<HidDeviceInfo> wait_for(const std::function<bool(const HidDeviceInfo&)>& match,
                                        Millis timeout) override;
};

}  // namespace omv::transport
