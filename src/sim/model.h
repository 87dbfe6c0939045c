#pragma once
// Device models: the device side of each bootloader (and of the running camera), as pure state
// machines. A host serves a model: the sim-bus process over a Unix socket, or a FunctionFS
// gadget on a real Linux USB stack. Models never know which host serves them.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "transport/hid.h"
#include "transport/usb.h"

namespace omv::sim {

struct SetupPacket {
  uint8_t request_type = 0;
  uint8_t request = 0;
  uint16_t value = 0;
  uint16_t index = 0;
  uint16_t length = 0;
  bool is_in() const { return (request_type & 0x80) != 0; }
};

// A model's answer to a transfer: data (for IN; empty for a successful OUT) or a stall.
struct Reply {
  bool stall = false;
  std::vector<uint8_t> data;
  static Reply ok(std::vector<uint8_t> bytes = {}) { return Reply{false, std::move(bytes)}; }
  static Reply stalled() { return Reply{true, {}}; }
};

class UsbDeviceModel {
 public:
  virtual ~UsbDeviceModel() = default;
  // Current identity and descriptors. A model that re-enumerates (DETACH, a jump to a
  // flashloader) bumps identity().generation; a model that is "unplugged" returns nullopt.
  virtual std::optional<transport::UsbDeviceInfo> identity() const = 0;
  virtual Reply control(const SetupPacket& setup, std::span<const uint8_t> out_data) = 0;
  virtual Reply bulk_out(uint8_t /*endpoint*/, std::span<const uint8_t> /*data*/) { return Reply::stalled(); }
  virtual Reply bulk_in(uint8_t /*endpoint*/, size_t /*max_length*/) { return Reply::stalled(); }
  virtual void set_alt_setting(uint8_t /*interface*/, uint8_t /*alt*/) {}
  virtual void bus_reset() {}
  // Counters for tests and `omv sim stats`: erases, bytes programmed, requests by type...
  virtual nlohmann::json stats() const = 0;
  // Device time the last request cost (flash erase/program), in real-hardware time: the host
  // keeps the device unresponsive that long (scaled) before it answers the next request.
  virtual std::chrono::nanoseconds take_busy_time() { return {}; }
  // A model that hands over to another mode's model (DETACH into the application, a ROM that
  // jumps to a RAM flashloader) returns that mode once; the host swaps models and re-enumerates.
  virtual std::optional<std::string> take_mode_change() { return std::nullopt; }
  // A model with a timer of its own (the OpenMV bootloader leaving for the firmware after its
  // DFU window) says when it next needs attention; the host calls tick() then, even without
  // requests, and checks for a mode change afterwards.
  virtual std::optional<std::chrono::steady_clock::time_point> next_tick() const { return std::nullopt; }
  virtual void tick() {}
};

class HidDeviceModel {
 public:
  virtual ~HidDeviceModel() = default;
  virtual std::optional<transport::HidDeviceInfo> identity() const = 0;
  virtual void write(std::span<const uint8_t> report) = 0;
  // The next report the device sends (report id first), if one is ready within the timeout.
  virtual std::optional<std::vector<uint8_t>> read(transport::Millis timeout) = 0;
  virtual nlohmann::json stats() const = 0;
  // As for UsbDeviceModel.
  virtual std::chrono::nanoseconds take_busy_time() { return {}; }
  virtual std::optional<std::string> take_mode_change() { return std::nullopt; }
  virtual std::optional<std::chrono::steady_clock::time_point> next_tick() const { return std::nullopt; }
  virtual void tick() {}
};

}  // namespace omv::sim
