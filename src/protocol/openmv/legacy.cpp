#include "protocol/openmv/legacy.h"

namespace omv::protocol::openmv::legacy {
namespace {

uint32_t get32(std::span<const uint8_t> b, size_t at) {
  return static_cast<uint32_t>(b[at]) | (static_cast<uint32_t>(b[at + 1]) << 8) |
         (static_cast<uint32_t>(b[at + 2]) << 16) | (static_cast<uint32_t>(b[at + 3]) << 24);
}
void put32(uint8_t* out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>(v >> (8 * i));
}

}  // namespace

std::array<uint8_t, kHeaderSize> encode(Command command, uint32_t length) {
  std::array<uint8_t, kHeaderSize> out{kCommandByte, static_cast<uint8_t>(command)};
  put32(out.data() + 2, length);
  return out;
}

uint32_t answer_length(Command command) {
  switch (command) {
    case Command::fw_version: return 12;
    case Command::arch_str: return 64;
    case Command::script_running: return 4;
    default: return 0;
  }
}

std::optional<Header> decode_header(std::span<const uint8_t> bytes) {
  if (bytes.size() < kHeaderSize || bytes[0] != kCommandByte) return std::nullopt;
  return Header{bytes[1], get32(bytes, 2)};
}

std::optional<FirmwareVersion> decode_fw_version(std::span<const uint8_t> answer) {
  if (answer.size() < 12) return std::nullopt;
  return FirmwareVersion{get32(answer, 0), get32(answer, 4), get32(answer, 8)};
}

std::array<uint8_t, 12> encode_fw_version(const FirmwareVersion& version) {
  std::array<uint8_t, 12> out{};
  put32(out.data(), version.major);
  put32(out.data() + 4, version.minor);
  put32(out.data() + 8, version.patch);
  return out;
}

}  // namespace omv::protocol::openmv::legacy
