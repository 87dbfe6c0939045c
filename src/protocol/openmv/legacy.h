#pragma once
// The legacy USB-debug protocol of firmware up to 4.8.x ("USBDBG"): every command is a 6-byte
// header `30 <opcode> <length:u32 LE>`. Opcodes with bit 7 set make the camera answer `length`
// bytes; the others are followed by `length` bytes of payload from the host.
#include <array>
#include <cstdint>
#include <optional>
#include <span>

namespace omv::protocol::openmv::legacy {

inline constexpr uint8_t kCommandByte = 0x30;
inline constexpr size_t kHeaderSize = 6;

enum class Command : uint8_t {
  fw_version = 0x80,       // answer: 12 bytes, major/minor/patch as u32 LE
  arch_str = 0x83,         // answer: 64 bytes, NUL-terminated
  script_running = 0x87,   // answer: 4 bytes, u32 0 or 1
  script_stop = 0x06,
  sys_reset = 0x0C,        // plain reset, no answer
  sys_reset_to_bootloader = 0x0E,  // reset into the bootloader, no answer
};

inline constexpr bool expects_answer(uint8_t opcode) { return (opcode & 0x80) != 0; }

std::array<uint8_t, kHeaderSize> encode(Command command, uint32_t length);
// The answer length the camera owes for a command, as the IDE asks for it.
uint32_t answer_length(Command command);

struct Header {
  uint8_t opcode = 0;
  uint32_t length = 0;
};
std::optional<Header> decode_header(std::span<const uint8_t> bytes);

struct FirmwareVersion {
  uint32_t major = 0, minor = 0, patch = 0;
};
std::optional<FirmwareVersion> decode_fw_version(std::span<const uint8_t> answer);
std::array<uint8_t, 12> encode_fw_version(const FirmwareVersion& version);

}  // namespace omv::protocol::openmv::legacy
