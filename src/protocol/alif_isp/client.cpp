#include "protocol/alif_isp/client.h"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

#include "core/error.h"

namespace omv::protocol::alif_isp {
namespace {

using Clock = std::chrono::steady_clock;
using transport::Millis;

constexpr size_t kSmallChunk = 16;

}  // namespace

Client::Client(transport::SerialPort& port, uint32_t baud, ClientOptions options)
    : port_(port), baud_(baud), options_(options) {}

void Client::send(const std::vector<uint8_t>& packet) {
  port_.write(packet);
  counters_.packets_out++;
  counters_.bytes_out += packet.size();
}

void Client::drain(Millis gap) {
  uint8_t buf[64];
  while (port_.read(buf, gap) > 0) {
  }
  reader_ = PacketReader{};
}

bool Client::start() {
  send(encode(Command::start));
  bool acked = false;
  uint8_t buf[64];
  while (size_t n = port_.read(buf, options_.start_gap)) {
    counters_.bytes_in += n;
    acked = acked || std::find(buf, buf + n, kAck) != buf + n;
  }
  reader_ = PacketReader{};
  return acked;
}

Packet Client::reply(const std::string& what, Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  uint8_t buf[256];
  while (true) {
    while (auto p = reader_.next()) {
      counters_.packets_in++;
      if (p->kind == kPrintData) {
        printed_.push_back(payload_text(p->payload()));
        continue;
      }
      return *p;
    }
    if (!reader_.error().empty())
      fail(ErrorKind::device_error, fmt::format("{}: garbled reply to {}: {}", port_.path(), what, reader_.error()),
           "check that nothing else uses the port and that the camera's debug adapter is the Secure Enclave's UART");
    const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now());
    if (left.count() <= 0) break;
    const size_t n = port_.read(buf, left);
    counters_.bytes_in += n;
    reader_.feed(std::span<const uint8_t>(buf, n));
  }
  fail(ErrorKind::timeout,
       fmt::format("{}: no reply to {} within {} ms at {} baud{}", port_.path(), what, timeout.count(), baud_,
                   reader_.buffered() ? fmt::format(" ({} bytes of an incomplete packet)", reader_.buffered()) : ""),
       "check the port, and that the Secure Enclave is in ISP mode (omv recover OPENMV_AE3 walks you through it)");
}

void Client::expect_ack(const std::string& what, Millis timeout) {
  auto p = reply(what, timeout);
  if (p.kind == kAck) return;
  if (p.kind == kNak) {
    const auto n = parse_nak(p);
    fail(ErrorKind::device_error, fmt::format("the Secure Enclave refused {}: {}{}", what, error_name(n.code),
                                              n.extended.empty() ? "" : " (" + n.extended + ")"));
  }
  fail(ErrorKind::device_error, fmt::format("the Secure Enclave answered {} with {} instead of ACK", what, command_name(p.kind)));
}

void Client::stop() {
  send(encode(Command::stop));
  (void)reply("STOP_ISP", options_.reply_timeout);
}

Revision Client::revision() {
  send(encode_get(GetObject::revision));
  return parse_revision(reply("GET REVISION", options_.reply_timeout));
}

Enquiry Client::enquiry() {
  send(encode(Command::enquiry));
  return parse_enquiry(reply("ENQUIRY", options_.reply_timeout));
}

std::string Client::banner() {
  send(encode_get(GetObject::banner));
  auto p = reply("GET BANNER", options_.reply_timeout);
  if (p.kind != kDataResponse)
    fail(ErrorKind::device_error, fmt::format("the Secure Enclave answered GET BANNER with {}", command_name(p.kind)));
  return payload_text(p.payload());
}

std::vector<TocEntry> Client::toc() {
  send(encode_get(GetObject::toc_info));
  std::vector<TocEntry> entries;
  while (true) {
    auto p = reply("GET TOC_INFO", options_.reply_timeout);
    TocEntry e;
    if (!parse_toc_entry(p, e)) break;
    entries.push_back(std::move(e));
  }
  return entries;
}

void Client::set_baud(uint32_t baud) {
  send(encode(Command::set_baud_rate, std::span<const uint32_t>(&baud, 1)));
  (void)reply(fmt::format("SET_BAUD_RATE {}", baud), options_.reply_timeout);
  port_.drain();
  port_.set_baud(baud);
  baud_ = baud;
  std::this_thread::sleep_for(options_.baud_settle);
  drain(Millis(1));
}

void Client::set_maintenance_flag() {
  send(encode(Command::set_maintenance_flag));
  (void)reply("SET_MAINTENANCE_FLAG", options_.reply_timeout);
}

void Client::reset() {
  send(encode(Command::reset));
  try {
    port_.drain();
    drain(options_.reply_timeout);
  } catch (const Error& e) {
    // A port that belongs to the rebooting chip itself may go with it.
    if (e.kind() != ErrorKind::no_device) throw;
  }
}

void Client::burn_mram(uint32_t address, std::span<const uint8_t> data, const Progress& progress) {
  std::vector<uint8_t> padded(data.begin(), data.end());
  padded.resize((padded.size() + 15) / 16 * 16, 0);
  const uint32_t size = static_cast<uint32_t>(padded.size());
  const uint32_t args[2] = {address, size};
  send(encode(Command::burn_mram, args));
  auto p = reply(fmt::format("BURN_MRAM at 0x{:08X} ({} bytes)", address, size), options_.burn_timeout);
  if (p.kind == kNak) {
    const auto n = parse_nak(p);
    fail(ErrorKind::device_error, fmt::format("the Secure Enclave refused to burn {} bytes at 0x{:08X}: {}{}", size, address,
                                              error_name(n.code), n.extended.empty() ? "" : " (" + n.extended + ")"));
  }
  const size_t chunk = size <= kDownloadChunk ? kSmallChunk : kDownloadChunk;
  for (size_t at = 0; at < padded.size(); at += chunk) {
    const size_t n = std::min(chunk, padded.size() - at);
    send(encode_download_data(std::span<const uint8_t>(padded).subspan(at, n)));
    expect_ack(fmt::format("DOWNLOAD_DATA at 0x{:08X}", address + at), options_.reply_timeout);
    if (progress) progress(std::min<uint64_t>(at + n, data.size()));
  }
  send(encode(Command::download_done));
  (void)reply(fmt::format("DOWNLOAD_DONE after 0x{:08X}", address + size), options_.reply_timeout);
}

bool Client::hard_maintenance_handshake(const std::function<bool()>& give_up) {
  static const char kAlif[] = {'A', 'L', 'I', 'F'};
  static const char kAnswer[] = {'S', 'E', 'P', 'C', 'T', 'L'};
  const std::span<const uint8_t> alif(reinterpret_cast<const uint8_t*>(kAlif), sizeof kAlif);
  size_t matched = 0;
  while (matched < sizeof kAnswer) {
    if (give_up && give_up()) return false;
    port_.write(alif);
    counters_.bytes_out += alif.size();
    uint8_t b = 0;
    if (port_.read(std::span<uint8_t>(&b, 1), options_.handshake_poll) == 1) {
      counters_.bytes_in++;
      matched = b == static_cast<uint8_t>(kAnswer[matched]) ? matched + 1 : (b == 'S' ? 1 : 0);
    } else {
      matched = 0;
    }
  }
  port_.write(alif);
  counters_.bytes_out += alif.size();
  drain(Millis(1));
  return true;
}

}  // namespace omv::protocol::alif_isp
