#pragma once
// PICOBOOT, the RP2040 boot ROM's vendor interface (protocols notes 7): 32-byte commands on the
// bulk OUT endpoint, an optional data phase, a zero-length ACK in the other direction, and a
// 16-byte status over a vendor control request when anything goes wrong. Pure encoding and
// decoding; the device model and the fuzzer use them too.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace omv::protocol::picoboot {

inline constexpr uint32_t kMagic = 0x431FD10B;
inline constexpr size_t kCommandSize = 32;
inline constexpr size_t kStatusSize = 16;

// Vendor control requests to the PICOBOOT interface.
inline constexpr uint8_t kStatusRequestType = 0xC1;  // IN | vendor | interface
inline constexpr uint8_t kStatusRequest = 0x42;      // GET_COMMAND_STATUS
inline constexpr uint8_t kResetRequestType = 0x41;   // OUT | vendor | interface
inline constexpr uint8_t kResetRequest = 0x41;       // INTERFACE_RESET

enum class CommandId : uint8_t {
  exclusive_access = 0x01,
  reboot = 0x02,
  flash_erase = 0x03,
  read = 0x84,
  write = 0x05,
  exit_xip = 0x06,
  enter_cmd_xip = 0x07,
  exec = 0x08,
  vectorize_flash = 0x09,
};
const char* command_name(uint8_t id);  // "FLASH_ERASE"; "0x8b" for unknown ids

enum class Exclusive : uint8_t { not_exclusive = 0, exclusive = 1, exclusive_and_eject = 2 };

struct Command {
  uint32_t token = 0;
  uint8_t id = 0;
  uint8_t args_size = 0;
  uint32_t transfer_length = 0;
  std::array<uint8_t, 16> args{};

  bool is_in() const { return (id & 0x80) != 0; }
  uint32_t arg32(size_t index) const;  // little-endian word `index` of the args
};

std::array<uint8_t, kCommandSize> encode(const Command& command);
// A 32-byte packet with the magic; field values are not checked here (the device does that).
std::optional<Command> decode(std::span<const uint8_t> packet);

Command exclusive_access(uint32_t token, Exclusive mode);
Command reboot(uint32_t token, uint32_t pc, uint32_t sp, uint32_t delay_ms);
Command flash_erase(uint32_t token, uint32_t address, uint32_t size);
Command read(uint32_t token, uint32_t address, uint32_t size);
Command write(uint32_t token, uint32_t address, uint32_t size);
Command exit_xip(uint32_t token);
Command enter_cmd_xip(uint32_t token);
Command exec(uint32_t token, uint32_t address);

// Status codes (picoboot_status), by name.
enum class Status : uint32_t {
  ok = 0,
  unknown_cmd = 1,
  invalid_cmd_length = 2,
  invalid_transfer_length = 3,
  invalid_address = 4,
  bad_alignment = 5,
  interleaved_write = 6,
  rebooting = 7,
  unknown_error = 8,
  invalid_state = 9,
  not_permitted = 10,
  invalid_arg = 11,
  buffer_too_small = 12,
  precondition_not_met = 13,
  modified_data = 14,
  invalid_data = 15,
  not_found = 16,
  unsupported_modification = 17,
};
std::string status_name(uint32_t code);  // "INVALID_ADDRESS", "status 99" when unknown
const char* status_hint(uint32_t code);  // what usually causes it, or ""

struct CommandStatus {
  uint32_t token = 0;
  uint32_t code = 0;
  uint8_t command_id = 0;
  bool in_progress = false;
};
std::array<uint8_t, kStatusSize> encode_status(const CommandStatus& status);
// Exactly 16 bytes; nullopt otherwise.
std::optional<CommandStatus> decode_status(std::span<const uint8_t> bytes);

// The command's argument size and data-phase rule, as the RP2040 ROM checks them:
// expected bCmdSize, and whether dTransferLength must equal the size argument (else 0).
struct CommandRule {
  uint8_t args_size = 0;
  bool transfer_is_size = false;
};
std::optional<CommandRule> rp2040_rule(uint8_t id);

}  // namespace omv::protocol::picoboot
