#include "protocol/nxp/mboot_frame.h"

#include <fmt/format.h>

#include "protocol/nxp/mboot_codes.h"

namespace omv::protocol::nxp::mboot {
namespace {

void put_le32(std::vector<uint8_t>& out, uint32_t v) {
  for (int shift = 0; shift < 32; shift += 8) out.push_back(static_cast<uint8_t>(v >> shift));
}

uint32_t get_le32(std::span<const uint8_t> b, size_t at) {
  return static_cast<uint32_t>(b[at]) | static_cast<uint32_t>(b[at + 1]) << 8 |
         static_cast<uint32_t>(b[at + 2]) << 16 | static_cast<uint32_t>(b[at + 3]) << 24;
}

template <typename T>
std::optional<T> reject(std::string* why, std::string text) {
  if (why) *why = std::move(text);
  return std::nullopt;
}

}  // namespace

std::vector<uint8_t> encode_packet(const Packet& packet) {
  std::vector<uint8_t> out{packet.tag, packet.flags, 0, static_cast<uint8_t>(packet.params.size())};
  out.reserve(4 + 4 * packet.params.size());
  for (uint32_t p : packet.params) put_le32(out, p);
  return out;
}

std::optional<Packet> decode_packet(std::span<const uint8_t> bytes, std::string* why) {
  if (bytes.size() < 4) return reject<Packet>(why, fmt::format("packet of {} bytes is shorter than its 4-byte header", bytes.size()));
  size_t count = bytes[3];
  if (count > kMaxParams) return reject<Packet>(why, fmt::format("packet announces {} parameters (at most {})", count, kMaxParams));
  if (bytes.size() < 4 + 4 * count)
    return reject<Packet>(why, fmt::format("packet announces {} parameters but holds {} bytes", count, bytes.size()));
  Packet p{bytes[0], bytes[1], {}};
  p.params.reserve(count);
  for (size_t i = 0; i < count; ++i) p.params.push_back(get_le32(bytes, 4 + 4 * i));
  return p;
}

std::vector<uint8_t> encode_report(uint8_t report_id, std::span<const uint8_t> payload) {
  std::vector<uint8_t> out;
  out.reserve(kReportHeaderSize + payload.size());
  out.push_back(report_id);
  out.push_back(0);
  out.push_back(static_cast<uint8_t>(payload.size()));
  out.push_back(static_cast<uint8_t>(payload.size() >> 8));
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

std::optional<Report> decode_report(std::span<const uint8_t> bytes, std::string* why) {
  if (bytes.size() < kReportHeaderSize)
    return reject<Report>(why, fmt::format("HID report of {} bytes is shorter than its 4-byte header", bytes.size()));
  uint8_t id = bytes[0];
  if (id < kReportCommandOut || id > kReportDataIn) return reject<Report>(why, fmt::format("unknown HID report id {}", id));
  size_t length = static_cast<size_t>(bytes[2]) | static_cast<size_t>(bytes[3]) << 8;
  if (kReportHeaderSize + length > bytes.size())
    return reject<Report>(why, fmt::format("HID report {} announces {} bytes but carries {}", id, length,
                                           bytes.size() - kReportHeaderSize));
  auto body = bytes.subspan(kReportHeaderSize, length);
  return Report{id, std::vector<uint8_t>(body.begin(), body.end())};
}

std::vector<uint8_t> command_report(const Packet& packet) { return encode_report(kReportCommandOut, encode_packet(packet)); }

std::vector<uint8_t> response_report(const Packet& packet) { return encode_report(kReportCommandIn, encode_packet(packet)); }

std::string describe_command(const Packet& packet) {
  std::string out = command_name(packet.tag) + "(";
  for (size_t i = 0; i < packet.params.size(); ++i) out += fmt::format("{}0x{:X}", i ? ", " : "", packet.params[i]);
  return out + ")";
}

}  // namespace omv::protocol::nxp::mboot
