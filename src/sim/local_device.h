#pragma once
// A device model served in-process as a transport::UsbDevice, without timing or sockets: how
// unit tests and fuzzers drive the host engines against the real device models.
#include <memory>

#include "sim/model.h"
#include "transport/usb.h"

namespace omv::sim {

class LocalUsbDevice : public transport::UsbDevice {
 public:
  explicit LocalUsbDevice(UsbDeviceModel& model);
  const transport::UsbDeviceInfo& info() const override { return info_; }
  size_t control_in(uint8_t request_type, uint8_t request, uint16_t value, uint16_t index, std::span<uint8_t> data,
                    transport::Millis timeout) override;
  size_t control_out(uint8_t request_type, uint8_t request, uint16_t value, uint16_t index,
                     std::span<const uint8_t> data, transport::Millis timeout) override;
  size_t bulk_in(uint8_t endpoint, std::span<uint8_t> data, transport::Millis timeout) override;
  size_t bulk_out(uint8_t endpoint, std::span<const uint8_t> data, transport::Millis timeout) override;
  void claim_interface(uint8_t) override {}
  void set_alt_setting(uint8_t interface, uint8_t alt) override { model_.set_alt_setting(interface, alt); }
  std::string string_descriptor(uint8_t index) override;
  void reset() override { model_.bus_reset(); }
  uint64_t requests() const { return requests_; }

 private:
  void check_present();
  UsbDeviceModel& model_;
  transport::UsbDeviceInfo info_;
  uint64_t requests_ = 0;
};

}  // namespace omv::sim
