#include "protocol/nxp/mboot_client.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/numbers.h"
#include "protocol/nxp/mboot_codes.h"

namespace omv::protocol::nxp::mboot {
namespace {

constexpr size_t kDefaultPayload = 32;   // what blhost assumes when MaxPacketSize is unknown
constexpr size_t kReceiveBuffer = 8192;  // larger than any report a flashloader sends

Packet command(CommandTag tag, std::vector<uint32_t> params, uint8_t flags = 0) {
  return Packet{static_cast<uint8_t>(tag), flags, std::move(params)};
}

std::string hint_for(uint32_t status) {
  switch (status) {
    case status::memory_not_configured:
      return "the external flash is not configured yet: 'omv recover' configures FlexSPI before writing";
    case status::memory_range_invalid:
    case status::out_of_range:
      return "the address range is outside the device's memory map; check the board's partitions";
    case status::memory_alignment_error:
    case status::flash_alignment_error:
      return "erase regions must start on a sector boundary (4 KiB on the RT1062's external flash)";
    case status::otp_locked:
    case status::ocotp_program_failure:
      return "the fuse word cannot be programmed (locked or already burned)";
    case status::security_violation:
      return "the device is secured; unsecure it first";
    default:
      return {};
  }
}

}  // namespace

Client::Client(transport::HidDevice& device, ClientOptions options)
    : device_(device), options_(options), max_payload_(options.max_data_payload), buffer_(kReceiveBuffer) {}

std::string Client::where() const { return format_usb_id(device_.info().id); }

void Client::send(uint8_t report_id, std::span<const uint8_t> payload) {
  auto report = encode_report(report_id, payload);
  device_.write(report);
  ++counters_.reports_out;
}

Report Client::receive(const Packet& cmd, transport::Millis timeout, const char* waiting_for) {
  size_t n = device_.read(buffer_, timeout);
  if (n == 0)
    fail(ErrorKind::timeout,
         fmt::format("{} on {}: no {} within {} ms", describe_command(cmd), where(), waiting_for, timeout.count()),
         "the device stopped answering; unplug it, start it in its bootloader again and retry");
  ++counters_.reports_in;
  std::string why;
  auto report = decode_report(std::span<const uint8_t>(buffer_.data(), std::min(n, buffer_.size())), &why);
  if (!report) fail(ErrorKind::device_error, fmt::format("{} on {}: malformed answer: {}", describe_command(cmd), where(), why));
  return std::move(*report);
}

Packet Client::receive_response(const Packet& cmd, transport::Millis timeout, const char* waiting_for) {
  for (;;) {
    Report r = receive(cmd, timeout, waiting_for);
    // A zero-length data report is the device aborting a data phase; its status follows.
    if (r.report_id == kReportDataIn && r.payload.empty()) continue;
    if (r.report_id != kReportCommandIn)
      fail(ErrorKind::device_error, fmt::format("{} on {}: expected a response report, got report {} ({} bytes)",
                                                describe_command(cmd), where(), r.report_id, r.payload.size()));
    std::string why;
    auto packet = decode_packet(r.payload, &why);
    if (!packet) fail(ErrorKind::device_error, fmt::format("{} on {}: malformed response: {}", describe_command(cmd), where(), why));
    return std::move(*packet);
  }
}

void Client::fail_status(const Packet& cmd, uint32_t status) {
  throw StatusError(status, fmt::format("{} on {}: {}", describe_command(cmd), where(), describe_status(status)), hint_for(status));
}

void Client::check_generic(const Packet& cmd, const Packet& response) {
  if (response.tag != static_cast<uint8_t>(ResponseTag::generic) || response.params.size() < 2)
    fail(ErrorKind::device_error, fmt::format("{} on {}: expected a generic response, got tag 0x{:02X} with {} parameters",
                                              describe_command(cmd), where(), response.tag, response.params.size()));
  if (response.params[1] != cmd.tag)
    fail(ErrorKind::device_error, fmt::format("{} on {}: the response is for {}", describe_command(cmd), where(),
                                              command_name(static_cast<uint8_t>(response.params[1]))));
  if (response.params[0] != status::success) fail_status(cmd, response.params[0]);
}

void Client::simple_command(const Packet& cmd, transport::Millis timeout) {
  ++counters_.commands;
  send(kReportCommandOut, encode_packet(cmd));
  check_generic(cmd, receive_response(cmd, timeout, "response"));
}

std::vector<uint32_t> Client::get_property(uint32_t tag, uint32_t memory_id) {
  auto cmd = command(CommandTag::get_property, {tag, memory_id});
  ++counters_.commands;
  send(kReportCommandOut, encode_packet(cmd));
  Packet r = receive_response(cmd, options_.command_timeout, "response");
  if (r.tag == static_cast<uint8_t>(ResponseTag::generic)) {
    check_generic(cmd, r);
    fail(ErrorKind::device_error, fmt::format("{} on {}: no property value in the answer", describe_command(cmd), where()));
  }
  if (r.tag != static_cast<uint8_t>(ResponseTag::get_property) || r.params.empty())
    fail(ErrorKind::device_error, fmt::format("{} on {}: unexpected response tag 0x{:02X}", describe_command(cmd), where(), r.tag));
  if (r.params[0] != status::success) fail_status(cmd, r.params[0]);
  if (r.params.size() < 2)
    fail(ErrorKind::device_error, fmt::format("{} on {}: no property value in the answer", describe_command(cmd), where()));
  return {r.params.begin() + 1, r.params.end()};
}

uint32_t Client::current_version() { return get_property(property::current_version).front(); }

size_t Client::max_data_payload() {
  if (max_payload_ == 0) {
    try {
      uint32_t v = get_property(property::max_packet_size).front();
      max_payload_ = v >= 32 && v <= kReceiveBuffer - kReportHeaderSize ? v : kDefaultPayload;
    } catch (const StatusError&) {
      max_payload_ = kDefaultPayload;
    }
  }
  return max_payload_;
}

void Client::flash_erase_region(uint32_t address, uint32_t length, uint32_t memory_id) {
  simple_command(command(CommandTag::flash_erase_region, {address, length, memory_id}), options_.erase_timeout);
}

void Client::flash_erase_all(uint32_t memory_id) {
  simple_command(command(CommandTag::flash_erase_all, {memory_id}), options_.erase_timeout);
}

void Client::write_memory(uint32_t address, std::span<const uint8_t> data, uint32_t memory_id, const Progress& progress) {
  size_t chunk = max_data_payload();
  auto cmd = command(CommandTag::write_memory, {address, static_cast<uint32_t>(data.size()), memory_id}, kFlagHasDataPhase);
  ++counters_.commands;
  send(kReportCommandOut, encode_packet(cmd));
  check_generic(cmd, receive_response(cmd, options_.command_timeout, "initial response"));
  size_t sent = 0, reports = 0;
  bool aborted = false;
  std::vector<uint8_t> early(kReceiveBuffer);
  while (sent < data.size()) {
    size_t n = std::min(chunk, data.size() - sent);
    send(kReportDataOut, data.subspan(sent, n));
    sent += n;
    if (progress) progress(sent);
    if (options_.abort_poll_every && ++reports % options_.abort_poll_every == 0 && sent < data.size()) {
      // The device aborts a data phase it cannot take (a failed program) with an empty data
      // report and its status; stop sending then rather than pushing the rest into the void.
      size_t got = device_.read(early, transport::Millis{0});
      if (got) {
        ++counters_.reports_in;
        auto report = decode_report(std::span<const uint8_t>(early.data(), got));
        if (report && report->report_id == kReportDataIn && report->payload.empty()) {
          aborted = true;
          break;
        }
        if (report && report->report_id == kReportCommandIn) {
          auto packet = decode_packet(report->payload);
          if (packet) check_generic(cmd, *packet);
        }
        fail(ErrorKind::device_error, fmt::format("{} on {}: unexpected report {} during the data phase", describe_command(cmd),
                                                  where(), report ? report->report_id : 0));
      }
    }
  }
  check_generic(cmd, receive_response(cmd, options_.command_timeout, "final response"));
  if (aborted)
    fail(ErrorKind::device_error, fmt::format("{} on {}: the device aborted the data phase after {} of {} bytes",
                                              describe_command(cmd), where(), sent, data.size()));
}

std::vector<uint8_t> Client::read_memory(uint32_t address, uint32_t length, uint32_t memory_id, const Progress& progress) {
  auto cmd = command(CommandTag::read_memory, {address, length, memory_id});
  ++counters_.commands;
  send(kReportCommandOut, encode_packet(cmd));
  Packet first = receive_response(cmd, options_.command_timeout, "response");
  if (first.tag == static_cast<uint8_t>(ResponseTag::generic)) {
    check_generic(cmd, first);
    fail(ErrorKind::device_error, fmt::format("{} on {}: the device answered without a data phase", describe_command(cmd), where()));
  }
  if (first.tag != static_cast<uint8_t>(ResponseTag::read_memory) || first.params.size() < 2)
    fail(ErrorKind::device_error, fmt::format("{} on {}: unexpected response tag 0x{:02X}", describe_command(cmd), where(), first.tag));
  if (first.params[0] != status::success) fail_status(cmd, first.params[0]);
  uint32_t announced = first.params[1];
  if (announced != length)
    fail(ErrorKind::device_error, fmt::format("{} on {}: the device announces {} bytes, {} were asked", describe_command(cmd),
                                              where(), announced, length));
  std::vector<uint8_t> out;
  out.reserve(length);
  while (out.size() < length) {
    Report r = receive(cmd, options_.command_timeout, "data");
    if (r.report_id == kReportCommandIn) {  // the device ended the phase early: its status says why
      auto packet = decode_packet(r.payload);
      if (packet) check_generic(cmd, *packet);
      fail(ErrorKind::device_error, fmt::format("{} on {}: data phase ended after {} of {} bytes", describe_command(cmd), where(),
                                                out.size(), length));
    }
    if (r.report_id != kReportDataIn)
      fail(ErrorKind::device_error, fmt::format("{} on {}: unexpected report {} in the data phase", describe_command(cmd), where(), r.report_id));
    if (r.payload.empty()) {  // abort: the final response carries the status
      check_generic(cmd, receive_response(cmd, options_.command_timeout, "final response"));
      fail(ErrorKind::device_error, fmt::format("{} on {}: the device aborted the data phase after {} of {} bytes",
                                                describe_command(cmd), where(), out.size(), length));
    }
    if (out.size() + r.payload.size() > length)
      fail(ErrorKind::device_error, fmt::format("{} on {}: the device sent more than the {} bytes announced", describe_command(cmd), where(), length));
    out.insert(out.end(), r.payload.begin(), r.payload.end());
    if (progress) progress(out.size());
  }
  check_generic(cmd, receive_response(cmd, options_.command_timeout, "final response"));
  return out;
}

void Client::fill_memory(uint32_t address, uint32_t byte_count, uint32_t pattern) {
  simple_command(command(CommandTag::fill_memory, {address, byte_count, pattern}), options_.command_timeout);
}

void Client::configure_memory(uint32_t memory_id, uint32_t config_address) {
  // Configuring may probe the flash and, for the FCB option, program it: give it erase time.
  simple_command(command(CommandTag::configure_memory, {memory_id, config_address}), options_.erase_timeout);
}

void Client::efuse_program_once(uint32_t index, uint32_t value, bool lock) {
  uint32_t word = lock ? (index | 1u << 24) : index;
  simple_command(command(CommandTag::flash_program_once, {word, 4, value}), options_.command_timeout);
}

uint32_t Client::efuse_read_once(uint32_t index) {
  auto cmd = command(CommandTag::flash_read_once, {index, 4});
  ++counters_.commands;
  send(kReportCommandOut, encode_packet(cmd));
  Packet r = receive_response(cmd, options_.command_timeout, "response");
  if (r.tag == static_cast<uint8_t>(ResponseTag::generic)) {
    check_generic(cmd, r);
    fail(ErrorKind::device_error, fmt::format("{} on {}: no fuse value in the answer", describe_command(cmd), where()));
  }
  if (r.tag != static_cast<uint8_t>(ResponseTag::flash_read_once) || r.params.empty())
    fail(ErrorKind::device_error, fmt::format("{} on {}: unexpected response tag 0x{:02X}", describe_command(cmd), where(), r.tag));
  if (r.params[0] != status::success) fail_status(cmd, r.params[0]);
  if (r.params.size() < 3 || r.params[1] != 4)
    fail(ErrorKind::device_error, fmt::format("{} on {}: the answer holds no 4-byte fuse word", describe_command(cmd), where()));
  return r.params[2];
}

void Client::reset() {
  auto cmd = command(CommandTag::reset, {});
  ++counters_.commands;
  try {
    send(kReportCommandOut, encode_packet(cmd));
    check_generic(cmd, receive_response(cmd, options_.command_timeout, "response"));
  } catch (const StatusError&) {
    throw;
  } catch (const Error& e) {
    // A device that resets before its answer reaches us has still done what was asked.
    if (e.kind() != ErrorKind::no_device && e.kind() != ErrorKind::timeout) throw;
  }
}

}  // namespace omv::protocol::nxp::mboot
