#pragma once
// HID devices (the NXP ROM's SDP and the MCU bootloader / flashloader). Backends: hidapi
// (real) and the sim client.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "transport/usb.h"

namespace omv::transport {

struct HidDeviceInfo {
  UsbId id;
  std::string serial, manufacturer, product;
  std::string path;          // hidapi path or sim path
  std::string bus_port;
  bool accessible = true;
  std::string access_error;
};

class HidDevice {
 public:
  virtual ~HidDevice() = default;
  virtual const HidDeviceInfo& info() const = 0;
  // report[0] is the report id, as hidapi has it.
  virtual void write(std::span<const uint8_t> report) = 0;
  // Returns the bytes read (report id first), 0 on timeout.
  virtual size_t read(std::span<uint8_t> report, Millis timeout) = 0;
};

class HidBus {
 public:
  virtual ~HidBus() = default;
  virtual std::vector<HidDeviceInfo> enumerate() = 0;
  virtual std::unique_ptr<HidDevice> open(const HidDeviceInfo& device) = 0;
  virtual std::optional<HidDeviceInfo> wait_for(const std::function<bool(const HidDeviceInfo&)>& match,
                                                Millis timeout) = 0;
};

}  // namespace omv::transport
