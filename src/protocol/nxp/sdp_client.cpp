#include "protocol/nxp/sdp_client.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/numbers.h"

namespace omv::protocol::nxp::sdp {

Client::Client(transport::HidDevice& device, ClientOptions options)
    : device_(device), options_(options), buffer_(1 + kDataReportPayload) {}

std::string Client::where() const { return format_usb_id(device_.info().id); }

void Client::send_command(const Command& command) { device_.write(command_report(command)); }

InReport Client::receive(const Command& command, transport::Millis timeout, const char* waiting_for) {
  size_t n = device_.read(buffer_, timeout);
  if (n == 0)
    fail(ErrorKind::timeout, fmt::format("{} on {}: no {} from the ROM within {} ms", describe_command(command), where(),
                                         waiting_for, timeout.count()),
         "power-cycle the camera with the SBL jumper fitted and retry");
  std::string why;
  auto report = decode_in_report(std::span<const uint8_t>(buffer_.data(), std::min(n, buffer_.size())), &why);
  if (!report) fail(ErrorKind::device_error, fmt::format("{} on {}: {}", describe_command(command), where(), why));
  return std::move(*report);
}

void Client::receive_hab(const Command& command) {
  InReport r = receive(command, options_.timeout, "HAB state");
  if (r.report_id != kReportHab)
    fail(ErrorKind::device_error, fmt::format("{} on {}: expected the HAB report, got report {}", describe_command(command), where(), r.report_id));
  last_hab_ = word_be(r.payload);
  if (last_hab_ != kHabOpen && last_hab_ != kHabClosed)
    fail(ErrorKind::device_error, fmt::format("{} on {}: {}", describe_command(command), where(), hab_name(last_hab_)));
}

uint32_t Client::receive_status_word(const Command& command) {
  InReport r = receive(command, options_.timeout, "status");
  if (r.report_id != kReportStatus || r.payload.size() < 4)
    fail(ErrorKind::device_error, fmt::format("{} on {}: expected a status report, got report {} ({} bytes)",
                                              describe_command(command), where(), r.report_id, r.payload.size()));
  return word_be(r.payload);
}

void Client::write_file(uint32_t address, std::span<const uint8_t> data, const Progress& progress) {
  Command command{CommandType::write_file, address, 0, static_cast<uint32_t>(data.size()), 0};
  send_command(command);
  std::vector<uint8_t> report(1 + kDataReportPayload);
  for (size_t at = 0; at < data.size(); at += kDataReportPayload) {
    size_t n = std::min(kDataReportPayload, data.size() - at);
    report[0] = kReportData;
    std::copy_n(data.begin() + static_cast<std::ptrdiff_t>(at), n, report.begin() + 1);
    std::fill(report.begin() + 1 + static_cast<std::ptrdiff_t>(n), report.end(), uint8_t{0});
    device_.write(report);
    if (progress) progress(at + n);
  }
  receive_hab(command);
  uint32_t word = receive_status_word(command);
  if (word != kFileComplete)
    throw RomError(word, fmt::format("{} on {}: the ROM answered {}", describe_command(command), where(), status_word_name(word)));
}

void Client::jump_address(uint32_t address) {
  Command command{CommandType::jump_address, address, 0, 0, 0};
  send_command(command);
  receive_hab(command);
  size_t n = 0;
  try {
    n = device_.read(buffer_, options_.jump_error_wait);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::no_device) return;  // it jumped and left the bus
    throw;
  }
  if (n == 0) return;
  std::string why;
  auto r = decode_in_report(std::span<const uint8_t>(buffer_.data(), std::min(n, buffer_.size())), &why);
  uint32_t word = r && r->report_id == kReportStatus ? word_be(r->payload) : 0;
  throw RomError(word, fmt::format("{} on {}: the ROM refused to jump: {}", describe_command(command), where(),
                                   r ? status_word_name(word) : why),
                 word == kNotAnIvt ? "the flashloader file does not start with an i.MX RT image vector table (IVT); "
                                     "use the sdphost_flash_loader.bin that OpenMV IDE ships"
                                   : std::string{});
}

std::vector<uint8_t> Client::read_register(uint32_t address, uint32_t count, uint8_t format) {
  Command command{CommandType::read_register, address, format, count, 0};
  send_command(command);
  receive_hab(command);
  std::vector<uint8_t> out;
  out.reserve(count);
  while (out.size() < count) {
    InReport r = receive(command, options_.timeout, "data");
    if (r.report_id != kReportStatus)
      fail(ErrorKind::device_error, fmt::format("{} on {}: unexpected report {}", describe_command(command), where(), r.report_id));
    size_t take = std::min(r.payload.size(), static_cast<size_t>(count) - out.size());
    out.insert(out.end(), r.payload.begin(), r.payload.begin() + static_cast<std::ptrdiff_t>(take));
  }
  return out;
}

void Client::write_register(uint32_t address, uint32_t value, uint8_t format) {
  Command command{CommandType::write_register, address, format, format / 8u, value};
  send_command(command);
  receive_hab(command);
  uint32_t word = receive_status_word(command);
  if (word != kWriteComplete)
    throw RomError(word, fmt::format("{} on {}: the ROM answered {}", describe_command(command), where(), status_word_name(word)));
}

uint32_t Client::error_status() {
  Command command{CommandType::error_status, 0, 0, 0, 0};
  send_command(command);
  receive_hab(command);
  return receive_status_word(command);
}

}  // namespace omv::protocol::nxp::sdp
