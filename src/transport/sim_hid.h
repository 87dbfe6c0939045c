#pragma once
// The sim backend of HidBus: HID virtual cameras (NXP ROM SDP, flashloader) on a sim bus.
#include <filesystem>

#include "transport/hid.h"

namespace omv::transport {

class SimHidBus : public HidBus {
 public:
  explicit SimHidBus(std::filesystem::path bus);
  std::vector<HidDeviceInfo> enumerate() override;
  std::unique_ptr<HidDevice> open(const HidDeviceInfo& device) override;
  std::optional<HidDeviceInfo> wait_for(const std::function<bool(const HidDeviceInfo&)>& match,
                                        Millis timeout) override;

 private:
  std::filesystem::path bus_;
};

}  // namespace omv::transport
