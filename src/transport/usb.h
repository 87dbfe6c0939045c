#pragma once
// The USB device interface every USB protocol engine (DFU, DfuSe, PICOBOOT, the RP2040 reset
// interface) talks to. Two backends implement it: libusb-1.0 (real devices) and the sim
// client (virtual cameras on a sim bus). Nothing above this header knows which one it has.
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "core/numbers.h"

namespace omv::transport {

using Millis = std::chrono::milliseconds;

struct UsbEndpointInfo {
  uint8_t address = 0;        // bit 7 set = IN
  uint8_t attributes = 0;     // transfer type in bits 0-1
  uint16_t max_packet = 0;
};

struct UsbInterfaceInfo {
  uint8_t number = 0;
  uint8_t alt = 0;
  uint8_t cls = 0, subclass = 0, protocol = 0;
  std::string name;                 // iInterface string (DFU alt names, DfuSe layouts)
  std::vector<uint8_t> extra;       // class-specific descriptors (the DFU functional descriptor)
  std::vector<UsbEndpointInfo> endpoints;
};

struct UsbDeviceInfo {
  UsbId id;
  uint16_t bcd_device = 0;
  std::string manufacturer, product, serial;
  std::string bus_port;             // "1-4.2": stable for one physical socket
  std::string backend_path;         // backend's own handle ("sim:/tmp/bus/ABC", "usb:001/007")
  bool accessible = true;           // false: listed but cannot be opened
  std::string access_error;         // why not (EACCES...) and the hint
  std::vector<UsbInterfaceInfo> interfaces;  // every alt setting of the active configuration
  uint64_t generation = 0;          // changes on re-enumeration (sim) / new address (real)
};

// A stall or a transfer the device refused: protocol engines decide what it means.
class UsbStall : public Error {
 public:
  explicit UsbStall(std::string message) : Error(ErrorKind::device_error, std::move(message)) {}
};

// An opened device. Methods throw Error{no_device} when the device vanished,
// UsbStall on a stall, Error{timeout} on a timeout, Error{permission} on EACCES.
class UsbDevice {
 public:
  virtual ~UsbDevice() = default;
  virtual const UsbDeviceInfo& info() const = 0;
  virtual size_t control_in(uint8_t request_type, uint8_t request, uint16_t value, uint16_t index,
                            std::span<uint8_t> data, Millis timeout) = 0;
  virtual size_t control_out(uint8_t request_type, uint8_t request, uint16_t value, uint16_t index,
                             std::span<const uint8_t> data, Millis timeout) = 0;
  virtual size_t bulk_in(uint8_t endpoint, std::span<uint8_t> data, Millis timeout) = 0;
  virtual size_t bulk_out(uint8_t endpoint, std::span<const uint8_t> data, Millis timeout) = 0;
  virtual void claim_interface(uint8_t interface) = 0;
  virtual void set_alt_setting(uint8_t interface, uint8_t alt) = 0;
  virtual std::string string_descriptor(uint8_t index) = 0;
  // Port reset; the device may re-enumerate (and this handle become invalid).
  virtual void reset() = 0;
};

using UsbMatch = std::function<bool(const UsbDeviceInfo&)>;

class UsbBus {
 public:
  virtual ~UsbBus() = default;
  virtual std::vector<UsbDeviceInfo> enumerate() = 0;
  virtual std::unique_ptr<UsbDevice> open(const UsbDeviceInfo& device) = 0;
  // Blocks until a matching device is present (returns at once if one is), event-driven
  // where the backend allows it; nullopt after the timeout.
  virtual std::optional<UsbDeviceInfo> wait_for(const UsbMatch& match, Millis timeout) = 0;
};

}  // namespace omv::transport
