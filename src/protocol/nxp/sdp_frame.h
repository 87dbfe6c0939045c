#pragma once
// The i.MX RT ROM's Serial Download Protocol over HID. Commands are 16 bytes, big endian,
// in report 1; file data goes in report 2 (1024 bytes, the last one zero-padded); the ROM
// answers with report 3 (the 4-byte HAB security state) and report 4 (a status word or data).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace omv::protocol::nxp::sdp {

inline constexpr uint8_t kReportCommand = 0x01;
inline constexpr uint8_t kReportData = 0x02;
inline constexpr uint8_t kReportHab = 0x03;
inline constexpr uint8_t kReportStatus = 0x04;

inline constexpr size_t kCommandSize = 16;
inline constexpr size_t kDataReportPayload = 1024;
inline constexpr size_t kStatusReportPayload = 64;

enum class CommandType : uint16_t {
  read_register = 0x0101,
  write_register = 0x0202,
  write_file = 0x0404,
  error_status = 0x0505,
  write_csf = 0x0606,
  write_dcd = 0x0A0A,
  jump_address = 0x0B0B,
  skip_dcd_header = 0x0C0C,
};

// Words the ROM sends (byte palindromes, so their byte order does not matter).
inline constexpr uint32_t kHabClosed = 0x12343412;
inline constexpr uint32_t kHabOpen = 0x56787856;
inline constexpr uint32_t kFileComplete = 0x88888888;
inline constexpr uint32_t kWriteComplete = 0x128A8A12;
inline constexpr uint32_t kHabSuccess = 0xF0F0F0F0;  // ERROR_STATUS when nothing failed
inline constexpr uint32_t kNotAnIvt = 0x000A0533;   // JUMP_ADDRESS to something that is not an IVT

struct Command {
  CommandType type = CommandType::error_status;
  uint32_t address = 0;
  uint8_t format = 0;  // access width in bits for register commands, 0 otherwise
  uint32_t count = 0;  // bytes
  uint32_t data = 0;   // value for WRITE_REGISTER
  bool operator==(const Command&) const = default;
};

std::vector<uint8_t> encode_command(const Command& command);  // 16 bytes
std::optional<Command> decode_command(std::span<const uint8_t> bytes, std::string* why = nullptr);
std::vector<uint8_t> command_report(const Command& command);  // report id + 16 bytes
// Report 2 frames carrying data, each kDataReportPayload bytes after the id (last zero-padded).
std::vector<std::vector<uint8_t>> data_reports(std::span<const uint8_t> data);

// Reports the ROM sends.
std::vector<uint8_t> hab_report(uint32_t hab);          // 5 bytes
std::vector<uint8_t> status_report(std::span<const uint8_t> bytes);  // 65 bytes, zero-padded
std::vector<uint8_t> status_word_report(uint32_t word); // a big-endian word in report 4

struct InReport {
  uint8_t report_id = 0;
  std::vector<uint8_t> payload;
};
std::optional<InReport> decode_in_report(std::span<const uint8_t> bytes, std::string* why = nullptr);
uint32_t word_be(std::span<const uint8_t> bytes);  // first 4 bytes, big endian (0 if fewer)

std::string command_name(CommandType type);
std::string describe_command(const Command& command);  // "WRITE_FILE 0x20001C00 (65536 bytes)"
// "HAB open", "HAB closed (secure boot)", "unknown HAB state 0x..."
std::string hab_name(uint32_t hab);
// What a report-4 status word means: "file complete", "not an IVT (0x000A0533)"...
std::string status_word_name(uint32_t word);

}  // namespace omv::protocol::nxp::sdp
