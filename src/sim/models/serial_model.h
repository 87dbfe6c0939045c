#pragma once
// Device models that sit behind a serial port (a USB CDC-ACM device on the real board, a
// pseudo-terminal on the sim bus): bytes and line settings in, bytes and decisions out. Pure, like
// the USB and HID models of sim/model.h; a serial host (serial_pty_host.h) serves them.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "sim/model_registry.h"
#include "transport/usb.h"

namespace omv::sim {

class SerialDeviceModel {
 public:
  virtual ~SerialDeviceModel() = default;
  // The USB identity of the CDC device the port belongs to (VID:PID, strings, serial).
  virtual transport::UsbDeviceInfo identity() const = 0;
  // Bytes the host wrote at the current baud; returns what the device sends back.
  virtual std::vector<uint8_t> receive(std::span<const uint8_t> bytes, uint32_t baud) = 0;
  // The host changed the line settings, or opened (open = true) / closed the port.
  virtual void line_changed(uint32_t /*baud*/, bool /*open*/) {}
  // A model that leaves its mode (reset into the application, a touch into the bootloader)
  // returns the new mode once; the host swaps models and the port re-enumerates.
  virtual std::optional<std::string> take_mode_change() { return std::nullopt; }
  // Device time (flash erase/program) the last bytes cost, in real-hardware time.
  virtual std::chrono::nanoseconds take_busy_time() { return {}; }
  virtual nlohmann::json stats() const = 0;
};

using SerialModelFactory = std::function<std::unique_ptr<SerialDeviceModel>(ModelContext&)>;

void register_serial_model(const std::string& bootloader_type, const std::string& mode, SerialModelFactory factory);
const SerialModelFactory* find_serial_model(const std::string& bootloader_type, const std::string& mode);
// Modes with a registered serial model for this bootloader type.
std::vector<std::string> registered_serial_modes(const std::string& bootloader_type);

struct RegisterSerialModel {
  RegisterSerialModel(const std::string& type, const std::string& mode, SerialModelFactory f) {
    register_serial_model(type, mode, std::move(f));
  }
};

}  // namespace omv::sim
