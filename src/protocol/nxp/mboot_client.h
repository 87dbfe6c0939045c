#pragma once
// Host engine for the NXP MCU bootloader protocol (what blhost speaks) over a HID device:
// the RT1062's RAM flashloader and its secure bootloader (15A2:0073). Each call is one
// command: send the command report, then walk the protocol's phases (initial response,
// data phase, final response), failing with the device's status by name.
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/error.h"
#include "protocol/nxp/mboot_frame.h"
#include "transport/hid.h"

namespace omv::protocol::nxp::mboot {

struct ClientOptions {
  transport::Millis command_timeout{5000};  // waiting for any response or data report
  transport::Millis erase_timeout{120000};  // waiting for the end of one erase command
  // Largest data payload per report. 0: ask the device (MaxPacketSize), 32 if it does not say.
  size_t max_data_payload = 0;
  // During a host->device data phase, look for an early abort from the device every N reports.
  size_t abort_poll_every = 64;
};

using Progress = std::function<void(uint64_t done)>;

// The device answered a command with a status other than Success.
class StatusError : public Error {
 public:
  StatusError(uint32_t status, std::string message, std::string hint = {})
      : Error(ErrorKind::device_error, std::move(message), std::move(hint)), status_(status) {}
  uint32_t status() const { return status_; }

 private:
  uint32_t status_;
};

class Client {
 public:
  explicit Client(transport::HidDevice& device, ClientOptions options = {});

  // The property's value words (without the status word).
  std::vector<uint32_t> get_property(uint32_t tag, uint32_t memory_id = 0);
  uint32_t current_version();  // 0x4B020800 = "K2.8.0"
  size_t max_data_payload();   // cached after the first call

  void flash_erase_region(uint32_t address, uint32_t length, uint32_t memory_id = 0);
  void flash_erase_all(uint32_t memory_id);
  void write_memory(uint32_t address, std::span<const uint8_t> data, uint32_t memory_id = 0,
                    const Progress& progress = {});
  std::vector<uint8_t> read_memory(uint32_t address, uint32_t length, uint32_t memory_id = 0,
                                   const Progress& progress = {});
  void fill_memory(uint32_t address, uint32_t byte_count, uint32_t pattern);
  void configure_memory(uint32_t memory_id, uint32_t config_address);
  void efuse_program_once(uint32_t index, uint32_t value, bool lock = false);
  uint32_t efuse_read_once(uint32_t index);
  // The device answers, then leaves the bus; a device that vanishes at once is fine too.
  void reset();

  // Counters for benchmarks and tests.
  struct Counters {
    uint64_t commands = 0, reports_out = 0, reports_in = 0;
  };
  const Counters& counters() const { return counters_; }

 private:
  void send(uint8_t report_id, std::span<const uint8_t> payload);
  Report receive(const Packet& command, transport::Millis timeout, const char* waiting_for);
  Packet receive_response(const Packet& command, transport::Millis timeout, const char* waiting_for);
  // Sends a command with no data phase and checks its GenericResponse.
  void simple_command(const Packet& command, transport::Millis timeout);
  void check_generic(const Packet& command, const Packet& response);
  [[noreturn]] void fail_status(const Packet& command, uint32_t status);
  std::string where() const;

  transport::HidDevice& device_;
  ClientOptions options_;
  size_t max_payload_ = 0;
  Counters counters_;
  std::vector<uint8_t> buffer_;
};

}  // namespace omv::protocol::nxp::mboot
