#pragma once
// MCU bootloader packets and their HID reports. A report is
//   [report id][0][packetLength LE16][packet...]
// with report ids 1 command out, 2 data out, 3 response in, 4 data in. A packet of a command
// or response is [tag][flags][0][paramCount] + paramCount x uint32 LE. Both the host engine
// and the virtual flashloader use these; parsers treat every byte as untrusted.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace omv::protocol::nxp::mboot {

inline constexpr uint8_t kReportCommandOut = 0x01;
inline constexpr uint8_t kReportDataOut = 0x02;
inline constexpr uint8_t kReportCommandIn = 0x03;
inline constexpr uint8_t kReportDataIn = 0x04;

inline constexpr size_t kReportHeaderSize = 4;  // id, pad, length (2)
inline constexpr size_t kMaxParams = 7;

// A command or response packet.
struct Packet {
  uint8_t tag = 0;
  uint8_t flags = 0;
  std::vector<uint32_t> params;

  bool has_data_phase() const { return (flags & 0x01) != 0; }
  bool operator==(const Packet&) const = default;
};

std::vector<uint8_t> encode_packet(const Packet& packet);
// Parses a command/response packet; nullopt with `why` filled when the bytes are not one.
std::optional<Packet> decode_packet(std::span<const uint8_t> bytes, std::string* why = nullptr);

// One HID report: [id][0][len LE16][payload].
std::vector<uint8_t> encode_report(uint8_t report_id, std::span<const uint8_t> payload);

struct Report {
  uint8_t report_id = 0;
  std::vector<uint8_t> payload;  // packetLength bytes (empty = a device's data-phase abort)
};
// Parses a received report. Bytes after packetLength (padding) are ignored; a packetLength
// that runs past the report is an error.
std::optional<Report> decode_report(std::span<const uint8_t> bytes, std::string* why = nullptr);

// Convenience for the common case: a command packet in report 1.
std::vector<uint8_t> command_report(const Packet& packet);
std::vector<uint8_t> response_report(const Packet& packet);

// Human form for messages and logs: "write-memory(0x60040000, 0x1000, 0)".
std::string describe_command(const Packet& packet);

}  // namespace omv::protocol::nxp::mboot
