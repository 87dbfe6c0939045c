#include "protocol/samba/frames.h"

#include <fmt/format.h>

namespace omv::protocol::samba {

namespace cmd {
std::string set_binary() { return "N#"; }
std::string version() { return "V#"; }
std::string identify() { return "I#"; }
std::string reset() { return "K#"; }
std::string write(uint32_t address, uint32_t size) { return fmt::format("S{:08X},{:08X}#", address, size); }
std::string read(uint32_t address, uint32_t size) { return fmt::format("R{:08X},{:08X}#", address, size); }
std::string write_word(uint32_t address, uint32_t value) { return fmt::format("W{:08X},{:08X}#", address, value); }
std::string read_word(uint32_t address) { return fmt::format("w{:08X},4#", address); }
std::string go(uint32_t address) { return fmt::format("G{:08X}#", address); }
std::string erase_from(uint32_t address) { return fmt::format("X{:08X}#", address); }
std::string buffer_source(uint32_t address) { return fmt::format("Y{:08X},0#", address); }
std::string buffer_copy(uint32_t flash_address, uint32_t size) {
  return fmt::format("Y{:08X},{:08X}#", flash_address, size);
}
std::string checksum(uint32_t address, uint32_t size) { return fmt::format("Z{:08X},{:08X}#", address, size); }
}  // namespace cmd

std::optional<std::string> parse_line(std::span<const uint8_t> reply, size_t max_length) {
  if (reply.size() < 2 || reply.size() - 2 > max_length) return std::nullopt;
  if (reply[reply.size() - 2] != '\n' || reply[reply.size() - 1] != '\r') return std::nullopt;
  std::string text;
  for (size_t i = 0; i + 2 < reply.size(); ++i) {
    const uint8_t c = reply[i];
    if (c < 0x20 || c > 0x7E) return std::nullopt;
    text.push_back(static_cast<char>(c));
  }
  return text;
}

std::optional<Version> parse_version(std::span<const uint8_t> reply) {
  auto line = parse_line(reply);
  if (!line || line->empty()) return std::nullopt;
  Version v;
  v.text = *line;
  const auto tag = v.text.find("[Arduino:");
  if (tag != std::string::npos) {
    const auto close = v.text.find(']', tag);
    if (close == std::string::npos) return std::nullopt;
    v.arduino = true;
    for (size_t i = tag + 9; i < close; ++i) {
      switch (v.text[i]) {
        case 'X': v.chip_erase = true; break;
        case 'Y': v.write_buffer = true; break;
        case 'Z': v.checksum = true; break;
        case 'I': v.identify = true; break;
        case 'K': v.reset = true; break;
        default: break;
      }
    }
  }
  return v;
}

namespace {
std::optional<uint32_t> hex_digit(uint8_t c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return std::nullopt;
}
}  // namespace

std::optional<uint16_t> parse_checksum(std::span<const uint8_t> reply) {
  // Z + 8 hex digits + '#' + "\n\r"
  if (reply.size() != 12 || reply[0] != 'Z' || reply[9] != '#' || reply[10] != '\n' || reply[11] != '\r')
    return std::nullopt;
  uint32_t value = 0;
  for (size_t i = 1; i <= 8; ++i) {
    auto d = hex_digit(reply[i]);
    if (!d) return std::nullopt;
    value = (value << 4) | *d;
  }
  if (value > 0xFFFF) return std::nullopt;
  return static_cast<uint16_t>(value);
}

bool is_ack(std::span<const uint8_t> reply, char letter) {
  return reply.size() == 3 && reply[0] == static_cast<uint8_t>(letter) && reply[1] == '\n' && reply[2] == '\r';
}

std::string hex_preview(std::span<const uint8_t> bytes, size_t max) {
  if (bytes.empty()) return "nothing";
  std::string out;
  for (size_t i = 0; i < bytes.size() && i < max; ++i) out += fmt::format("{}{:02x}", i ? " " : "", bytes[i]);
  if (bytes.size() > max) out += fmt::format(" ... ({} bytes)", bytes.size());
  return out;
}

}  // namespace omv::protocol::samba
