#include "protocol/nxp/sdp_frame.h"

#include <fmt/format.h>

#include <algorithm>

namespace omv::protocol::nxp::sdp {
namespace {

void put_be32(std::vector<uint8_t>& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}

uint32_t be32(std::span<const uint8_t> b, size_t at) {
  return static_cast<uint32_t>(b[at]) << 24 | static_cast<uint32_t>(b[at + 1]) << 16 |
         static_cast<uint32_t>(b[at + 2]) << 8 | static_cast<uint32_t>(b[at + 3]);
}

bool known_type(uint16_t t) {
  switch (static_cast<CommandType>(t)) {
    case CommandType::read_register:
    case CommandType::write_register:
    case CommandType::write_file:
    case CommandType::error_status:
    case CommandType::write_csf:
    case CommandType::write_dcd:
    case CommandType::jump_address:
    case CommandType::skip_dcd_header:
      return true;
  }
  return false;
}

}  // namespace

std::vector<uint8_t> encode_command(const Command& c) {
  std::vector<uint8_t> out;
  out.reserve(kCommandSize);
  auto type = static_cast<uint16_t>(c.type);
  out.push_back(static_cast<uint8_t>(type >> 8));
  out.push_back(static_cast<uint8_t>(type));
  put_be32(out, c.address);
  out.push_back(c.format);
  put_be32(out, c.count);
  put_be32(out, c.data);
  out.push_back(0);
  return out;
}

std::optional<Command> decode_command(std::span<const uint8_t> bytes, std::string* why) {
  if (bytes.size() < kCommandSize) {
    if (why) *why = fmt::format("SDP command of {} bytes (16 expected)", bytes.size());
    return std::nullopt;
  }
  auto type = static_cast<uint16_t>(bytes[0] << 8 | bytes[1]);
  if (!known_type(type)) {
    if (why) *why = fmt::format("unknown SDP command type 0x{:04X}", type);
    return std::nullopt;
  }
  return Command{static_cast<CommandType>(type), be32(bytes, 2), bytes[6], be32(bytes, 7), be32(bytes, 11)};
}

std::vector<uint8_t> command_report(const Command& command) {
  std::vector<uint8_t> out{kReportCommand};
  auto body = encode_command(command);
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

std::vector<std::vector<uint8_t>> data_reports(std::span<const uint8_t> data) {
  std::vector<std::vector<uint8_t>> out;
  out.reserve((data.size() + kDataReportPayload - 1) / kDataReportPayload);
  for (size_t at = 0; at < data.size(); at += kDataReportPayload) {
    std::vector<uint8_t> report(1 + kDataReportPayload, 0);
    report[0] = kReportData;
    size_t n = std::min(kDataReportPayload, data.size() - at);
    std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(at), n, report.begin() + 1);
    out.push_back(std::move(report));
  }
  return out;
}

std::vector<uint8_t> hab_report(uint32_t hab) {
  std::vector<uint8_t> out{kReportHab};
  put_be32(out, hab);
  return out;
}

std::vector<uint8_t> status_report(std::span<const uint8_t> bytes) {
  std::vector<uint8_t> out(1 + kStatusReportPayload, 0);
  out[0] = kReportStatus;
  std::copy_n(bytes.begin(), std::min(bytes.size(), kStatusReportPayload), out.begin() + 1);
  return out;
}

std::vector<uint8_t> status_word_report(uint32_t word) {
  std::vector<uint8_t> w;
  put_be32(w, word);
  return status_report(w);
}

std::optional<InReport> decode_in_report(std::span<const uint8_t> bytes, std::string* why) {
  if (bytes.empty()) {
    if (why) *why = "empty report";
    return std::nullopt;
  }
  uint8_t id = bytes[0];
  if (id != kReportHab && id != kReportStatus) {
    if (why) *why = fmt::format("unexpected report id {} from the ROM", id);
    return std::nullopt;
  }
  size_t limit = id == kReportHab ? 4 : kStatusReportPayload;
  auto body = bytes.subspan(1, std::min(bytes.size() - 1, limit));
  if (id == kReportHab && body.size() < 4) {
    if (why) *why = fmt::format("HAB report of {} bytes (4 expected)", body.size());
    return std::nullopt;
  }
  return InReport{id, std::vector<uint8_t>(body.begin(), body.end())};
}

uint32_t word_be(std::span<const uint8_t> bytes) { return bytes.size() < 4 ? 0 : be32(bytes, 0); }

std::string command_name(CommandType type) {
  switch (type) {
    case CommandType::read_register: return "READ_REGISTER";
    case CommandType::write_register: return "WRITE_REGISTER";
    case CommandType::write_file: return "WRITE_FILE";
    case CommandType::error_status: return "ERROR_STATUS";
    case CommandType::write_csf: return "WRITE_CSF";
    case CommandType::write_dcd: return "WRITE_DCD";
    case CommandType::jump_address: return "JUMP_ADDRESS";
    case CommandType::skip_dcd_header: return "SKIP_DCD_HEADER";
  }
  return fmt::format("command 0x{:04X}", static_cast<uint16_t>(type));
}

std::string describe_command(const Command& c) {
  switch (c.type) {
    case CommandType::write_file:
    case CommandType::write_csf:
    case CommandType::write_dcd:
      return fmt::format("{} 0x{:08X} ({} bytes)", command_name(c.type), c.address, c.count);
    case CommandType::read_register:
      return fmt::format("{} 0x{:08X} ({} bytes)", command_name(c.type), c.address, c.count);
    case CommandType::write_register:
      return fmt::format("{} 0x{:08X} = 0x{:08X}", command_name(c.type), c.address, c.data);
    case CommandType::jump_address:
      return fmt::format("{} 0x{:08X}", command_name(c.type), c.address);
    default:
      return command_name(c.type);
  }
}

std::string hab_name(uint32_t hab) {
  if (hab == kHabOpen) return "HAB open";
  if (hab == kHabClosed) return "HAB closed (secure boot)";
  return fmt::format("unknown HAB state 0x{:08X}", hab);
}

std::string status_word_name(uint32_t word) {
  switch (word) {
    case kFileComplete: return "file complete";
    case kWriteComplete: return "write complete";
    case kHabSuccess: return "no error (HAB success)";
    case kNotAnIvt: return "not an IVT (0x000A0533)";
    default: return fmt::format("ROM status 0x{:08X}", word);
  }
}

}  // namespace omv::protocol::nxp::sdp
