#include "protocol/alif_isp/packets.h"

#include <fmt/format.h>

namespace omv::protocol::alif_isp {

uint8_t checksum(std::span<const uint8_t> bytes) {
  uint32_t sum = 0;
  for (uint8_t b : bytes) sum += b;
  return static_cast<uint8_t>(0x100 - (sum & 0xFF));
}

std::vector<uint8_t> encode(Command command, std::span<const uint32_t> words, std::span<const uint8_t> raw) {
  std::vector<uint8_t> out{0, static_cast<uint8_t>(command)};
  for (uint32_t w : words)
    for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(w >> (8 * i)));
  out.insert(out.end(), raw.begin(), raw.end());
  out[0] = static_cast<uint8_t>(out.size() + 1);
  out.push_back(checksum(out));
  return out;
}

std::vector<uint8_t> encode_get(GetObject object) {
  const uint32_t w = static_cast<uint32_t>(object);
  return encode(Command::get, std::span<const uint32_t>(&w, 1));
}

std::vector<uint8_t> encode_download_data(std::span<const uint8_t> data) {
  std::vector<uint8_t> raw{0x55, 0x55};
  raw.insert(raw.end(), data.begin(), data.end());
  return encode(Command::download_data, {}, raw);
}

std::string command_name(uint8_t command) {
  switch (command) {
    case 0x00: return "START_ISP";
    case 0x01: return "STOP_ISP";
    case 0x04: return "DOWNLOAD_DATA";
    case 0x05: return "DOWNLOAD_DONE";
    case 0x08: return "BURN_MRAM";
    case 0x09: return "RESET_DEVICE";
    case 0x0D: return "MRAM_WRITE";
    case 0x0F: return "ENQUIRY";
    case 0x10: return "GET_BAUD_RATE";
    case 0x11: return "SET_BAUD_RATE";
    case 0x12: return "VERIFY_IMAGE";
    case 0x14: return "GET";
    case 0x15: return "ERASE_MRAM";
    case 0x16: return "SET_MAINTENANCE_FLAG";
    case 0x19: return "MRAM_READ";
    case 0x1A: return "SET";
    case kAck: return "ACK";
    case kNak: return "NAK";
    case kDataResponse: return "DATA_RESPONSE";
    case kPrintData: return "PRINT_DATA";
    default: return fmt::format("command 0x{:02X}", command);
  }
}

std::string error_name(uint8_t code) {
  static const char* const kNames[] = {
      "ERROR",                        // FF
      "READ_TIMEOUT",                 // FE
      "WRITE_TIMEOUT",                // FD
      "UNKNOWN_COMMAND",              // FC
      "COMMAND_STOP",                 // FB
      "CHECKSUM_ERROR",               // FA
      "NOT_SUPPORTED",                // F9
      "BAD_PACKET_SIZE",              // F8
      "BAD_DESTINATION_ADDR",         // F7
      "UNEXPECTED_COMMAND",           // F6
      "HOST_AUTH_FAILED",             // F5
      "NOT_ALLOWED",                  // F4
      "BAD_AUTH_TOKEN",               // F3
      "IMAGE_AUTHENTICATION_FAILED",  // F2
      "IMAGE_VERIFICATION_FAILED",    // F1
      "SECURE_DEBUG_FAILED",          // F0
      "MRAM_WRITE_FAILED",            // EF
      "UNKNOWN_GET_OBJECT",           // EE
      "ERROR_ILLEGAL_ADDRESS",        // ED
      "ERROR_MISALIGNED",             // EC
      "MRAM_OFFSET_MISALIGNED",       // EB
      "UNKNOWN_MRAM_ERROR",           // EA
      "MRAM_LENGTH_TOO_LARGE",        // E9
      "UNKNOWN_SET_OBJECT",           // E8
      "CODE_VERIFY_FAILURE",          // E7 (SEROM)
      "INVALID_CODE_SIZE",            // E6
      "MFG_DATA_MISCOMPARE",          // E5
      "SERAM_JUMP_FAILED",            // E4
      "MRAM_CONTROLLER_ERROR",        // E3
  };
  if (code == 0x00) return "SUCCESS (0x00)";
  if (code >= 0xE3) return fmt::format("{} (0x{:02X})", kNames[0xFF - code], code);
  return fmt::format("error 0x{:02X}", code);
}

void PacketReader::feed(std::span<const uint8_t> bytes) { buffer_.insert(buffer_.end(), bytes.begin(), bytes.end()); }

std::optional<Packet> PacketReader::next() {
  if (!error_.empty() || buffer_.size() < 2) return std::nullopt;
  const uint8_t length = buffer_[0];
  if (length < 3) {
    error_ = fmt::format("byte {} of the reply stream: packet length {} (at least 3)", consumed_, length);
    return std::nullopt;
  }
  if (buffer_.size() < length) return std::nullopt;
  Packet p;
  p.length = length;
  p.kind = buffer_[1];
  p.bytes.assign(buffer_.begin(), buffer_.begin() + length);
  uint32_t sum = 0;
  for (uint8_t b : p.bytes) sum += b;
  if ((sum & 0xFF) != 0) {
    error_ = fmt::format("byte {} of the reply stream: {} packet of {} bytes has checksum 0x{:02X}, expected 0x{:02X}",
                         consumed_ + length - 1, command_name(p.kind), length, p.bytes.back(),
                         checksum(std::span<const uint8_t>(p.bytes).first(length - 1u)));
    return std::nullopt;
  }
  buffer_.erase(buffer_.begin(), buffer_.begin() + length);
  consumed_ += length;
  return p;
}

Nak parse_nak(const Packet& packet) {
  Nak n;
  auto payload = packet.payload();
  if (!payload.empty()) {
    n.code = payload[0];
    n.extended = payload_text(payload.subspan(1));
  }
  return n;
}

std::string payload_text(std::span<const uint8_t> payload) {
  std::string out;
  for (uint8_t b : payload) {
    if (b == 0) break;
    out.push_back(b >= 0x20 && b < 0x7F ? static_cast<char>(b) : '?');
  }
  return out;
}

}  // namespace omv::protocol::alif_isp
