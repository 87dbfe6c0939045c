#pragma once
// The running camera's debug port, device side: what the firmware does with the bytes a host
// writes to its USB CDC port. Pure: bytes and line settings in, bytes and decisions out.
//
// - OpenMV Protocol firmware (5.x): active only at the magic baud (921600); answers PROTO_SYNC,
//   GET_CAPS, PROTO_VERSION, SYS_INFO; asks for an ACK of every answer; NAKs bad CRCs, wrong
//   sequence numbers and unknown opcodes; SYS_BOOT stores the bootloader magic and resets,
//   SYS_RESET resets plainly. Neither is answered.
// - Legacy USB-debug firmware (<= 4.8): active at 921600 (or 12 Mbaud); 6-byte commands
//   `30 op len`; answers FW_VERSION, ARCH_STR, SCRIPT_RUNNING; 0x0E enters the bootloader, 0x0C
//   resets.
// - At any other baud the port is the MicroPython REPL, which echoes what it is sent.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "protocol/openmv/legacy.h"
#include "protocol/openmv/packet.h"

namespace omv::sim {

struct AppFirmware {
  bool legacy = false;  // speaks the legacy USB-debug protocol instead of the OpenMV Protocol
  protocol::openmv::VersionInfo versions{{1, 0, 2}, {1, 0, 3}, {5, 0, 0}};
  std::string arch = "OpenMV Cam";
  bool touch_1200 = false;  // resets into its bootloader on a 1200-baud touch (TinyUSB, Arduino)
  // Faulty cameras, for the error paths: "normal", "silent" (never answers), "garbage" (answers
  // noise), "no_bootloader" (resets as told but comes back running its firmware).
  std::string behaviour = "normal";

  static AppFirmware from_json(const nlohmann::json& j);  // missing keys keep the defaults
  nlohmann::json to_json() const;
};

// What the camera does once the current bytes are handled.
enum class AppExit {
  none,
  reset,             // plain reset: the bootloader runs unforced, then the firmware again
  bootloader_forced, // reset with the bootloader magic set: the bootloader waits for DFU
  firmware_again,    // reset, but no bootloader runs: the firmware starts again
};

class OpenmvAppModel {
 public:
  explicit OpenmvAppModel(AppFirmware firmware);

  // Bytes from the host at the current line settings; returns the bytes the camera sends back.
  std::vector<uint8_t> receive(std::span<const uint8_t> bytes, uint32_t baud);
  // The host changed the line settings (baud, or the port closed: open = false).
  void line_changed(uint32_t baud, bool open);
  AppExit exit_request() const { return exit_; }
  const AppFirmware& firmware() const { return firmware_; }
  nlohmann::json stats() const;

 private:
  std::vector<uint8_t> receive_protocol(std::span<const uint8_t> bytes, uint32_t baud);
  std::vector<uint8_t> receive_legacy(std::span<const uint8_t> bytes);
  void handle(const protocol::openmv::Packet& packet, uint32_t baud, std::vector<uint8_t>& out);
  void send(std::vector<uint8_t>& out, uint8_t opcode, std::vector<uint8_t> payload, uint8_t flags);
  void send_status(std::vector<uint8_t>& out, uint8_t opcode, protocol::openmv::Status status);
  void count(const std::string& what) { ++counters_[what]; }
  void leave(AppExit how) { exit_ = firmware_.behaviour == "no_bootloader" ? AppExit::firmware_again : how; }

  AppFirmware firmware_;
  AppExit exit_ = AppExit::none;
  protocol::openmv::PacketReader reader_;
  uint8_t seq_ = 0;
  bool awaiting_ack_ = false;
  std::vector<uint8_t> legacy_buffer_;
  uint32_t legacy_payload_left_ = 0;
  uint32_t baud_at_exit_ = 0;
  std::map<std::string, uint64_t> counters_;
};

}  // namespace omv::sim
