#pragma once
// Host engine for the i.MX RT ROM's Serial Download Protocol (what sdphost speaks) over HID:
// stage a RAM flashloader with WRITE_FILE and start it with JUMP_ADDRESS.
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

#include "core/error.h"
#include "protocol/nxp/sdp_frame.h"
#include "transport/hid.h"

namespace omv::protocol::nxp::sdp {

struct ClientOptions {
  transport::Millis timeout{5000};
  // After JUMP_ADDRESS the ROM answers only on failure; how long to listen for that answer
  // while the device is still on the bus.
  transport::Millis jump_error_wait{250};
};

using Progress = std::function<void(uint64_t done)>;

// The ROM reported a status word other than the expected completion word.
class RomError : public Error {
 public:
  RomError(uint32_t word, std::string message, std::string hint = {})
      : Error(ErrorKind::device_error, std::move(message), std::move(hint)), word_(word) {}
  uint32_t word() const { return word_; }

 private:
  uint32_t word_;
};

class Client {
 public:
  explicit Client(transport::HidDevice& device, ClientOptions options = {});

  void write_file(uint32_t address, std::span<const uint8_t> data, const Progress& progress = {});
  // Starts the image whose IVT is at address. The ROM leaves the bus when the jump succeeds.
  void jump_address(uint32_t address);
  std::vector<uint8_t> read_register(uint32_t address, uint32_t count, uint8_t format = 32);
  void write_register(uint32_t address, uint32_t value, uint8_t format = 32);
  // The last HAB/ROM error word (kHabSuccess when none).
  uint32_t error_status();
  // The HAB state the ROM reported with its last answer (kHabOpen / kHabClosed).
  uint32_t last_hab() const { return last_hab_; }

 private:
  void send_command(const Command& command);
  InReport receive(const Command& command, transport::Millis timeout, const char* waiting_for);
  void receive_hab(const Command& command);
  uint32_t receive_status_word(const Command& command);
  std::string where() const;

  transport::HidDevice& device_;
  ClientOptions options_;
  uint32_t last_hab_ = 0;
  std::vector<uint8_t> buffer_;
};

}  // namespace omv::protocol::nxp::sdp
