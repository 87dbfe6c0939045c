#pragma once
// Host engine for PICOBOOT over a transport::UsbDevice: one call per command (command packet,
// data phase, zero-length ACK). When the device stalls, the engine reads the command status,
// clears the halts, resets the interface and fails with the status by name.
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "core/error.h"
#include "protocol/picoboot/command.h"
#include "transport/usb.h"

namespace omv::protocol::picoboot {

// The PICOBOOT interface of a device: vendor class 0xFF with a bulk OUT and a bulk IN endpoint
// (interface 1 next to the mass-storage drive, or interface 0 when the drive is disabled).
struct InterfaceInfo {
  uint8_t number = 0;
  uint8_t ep_out = 0;
  uint8_t ep_in = 0;
};
std::optional<InterfaceInfo> find_interface(const transport::UsbDeviceInfo& device);

// The device answered a command with a failure status.
class StatusError : public Error {
 public:
  StatusError(uint32_t code, std::string message, std::string hint)
      : Error(ErrorKind::device_error, std::move(message), std::move(hint)), code_(code) {}
  uint32_t code() const { return code_; }

 private:
  uint32_t code_;
};

struct ClientOptions {
  transport::Millis command_timeout{3000};  // a command packet, a data chunk, a quick ACK
  size_t data_chunk = 4096;                 // bytes per bulk transfer in a data phase
};

using Progress = std::function<void(uint64_t done)>;

class Client {
 public:
  Client(transport::UsbDevice& device, InterfaceInfo interface, ClientOptions options = {});

  void exclusive_access(Exclusive mode);
  void exit_xip();
  // 4 KiB-aligned range in flash; `timeout` covers the whole erase.
  void flash_erase(uint32_t address, uint32_t size, transport::Millis timeout);
  // Flash: 256-aligned address, erased beforehand. RAM: anywhere.
  void write(uint32_t address, std::span<const uint8_t> data, transport::Millis timeout);
  std::vector<uint8_t> read(uint32_t address, uint32_t size);
  // The device ACKs at once and reboots after delay_ms: pc 0 = boot from flash.
  void reboot(uint32_t pc, uint32_t sp, uint32_t delay_ms);
  CommandStatus status();
  void interface_reset();

  uint32_t last_token() const { return token_; }

 private:
  // Runs one command; on a stall or timeout recovers and throws StatusError / the timeout.
  void run(const Command& command, std::span<const uint8_t> out_data, std::vector<uint8_t>* in_data,
           transport::Millis ack_timeout);
  [[noreturn]] void fail_with_status(const Command& command, const std::string& what, bool timed_out);
  void clear_halt(uint8_t endpoint);
  std::string describe(const Command& command) const;

  transport::UsbDevice& device_;
  InterfaceInfo interface_;
  ClientOptions options_;
  uint32_t token_ = 0;
};

}  // namespace omv::protocol::picoboot
