#include "protocol/samba/client.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>

#include "core/error.h"

namespace omv::protocol::samba {
namespace {

using Clock = std::chrono::steady_clock;
using transport::Millis;

constexpr size_t kMaxLine = 256;
// Cortex-M Application Interrupt and Reset Control Register: VECTKEY | SYSRESETREQ.
constexpr uint32_t kAircr = 0xE000ED0C;
constexpr uint32_t kAircrReset = 0x05FA0004;

std::span<const uint8_t> bytes_of(const std::string& s) {
  return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace

Client::Client(transport::SerialPort& port, ClientOptions options) : port_(port), options_(options) {
  if (options_.read_chunk == 0) options_.read_chunk = 63;
  if (options_.buffer_size == 0) options_.buffer_size = 4096;
}

void Client::send(const std::string& command) {
  port_.write(bytes_of(command));
  ++counters_.commands;
  counters_.bytes_out += command.size();
}

void Client::send_data(std::span<const uint8_t> data) {
  // The monitor must see the command and its data in separate USB packets (bossac flushes too).
  port_.drain();
  port_.write(data);
  counters_.bytes_out += data.size();
}

std::vector<uint8_t> Client::receive(size_t n, Millis timeout, const char* what) {
  std::vector<uint8_t> out(n);
  size_t got = 0;
  const auto deadline = Clock::now() + timeout;
  while (got < n) {
    const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now());
    if (left.count() <= 0) break;
    got += port_.read(std::span<uint8_t>(out.data() + got, n - got), left);
  }
  counters_.bytes_in += got;
  if (got == n) return out;
  out.resize(got);
  if (got == 0)
    fail(ErrorKind::timeout, fmt::format("{}: no answer to {} within {} ms", port_.path(), what, timeout.count()),
         "the board may have left its bootloader: double-tap RESET (the LED pulses) and run omv again");
  fail(ErrorKind::device_error,
       fmt::format("{}: short answer to {}: {} of {} bytes ({})", port_.path(), what, got, n, hex_preview(out)),
       "the port may belong to something other than the SAM-BA bootloader");
}

std::vector<uint8_t> Client::receive_line(Millis timeout, const char* what) {
  std::vector<uint8_t> out;
  const auto deadline = Clock::now() + timeout;
  uint8_t c = 0;
  while (out.size() < kMaxLine + 2) {
    const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now());
    if (left.count() <= 0) break;
    if (port_.read(std::span<uint8_t>(&c, 1), left) == 0) continue;
    ++counters_.bytes_in;
    out.push_back(c);
    if (out.size() >= 2 && out[out.size() - 2] == '\n' && out.back() == '\r') return out;
  }
  if (out.empty())
    fail(ErrorKind::timeout, fmt::format("{}: no answer to {} within {} ms", port_.path(), what, timeout.count()),
         "is this the bootloader's port? Double-tap RESET on the Nano (the LED pulses) and try again");
  garbage(what, out);
}

void Client::garbage(const char* what, std::span<const uint8_t> got) const {
  fail(ErrorKind::device_error,
       fmt::format("{}: unexpected answer to {}: {}", port_.path(), what, hex_preview(got)),
       "the port does not belong to a SAM-BA bootloader, or another program is talking to it");
}

void Client::expect_ack(char letter, Millis timeout, const char* what) {
  const auto reply = receive(3, timeout, what);
  if (is_ack(reply, letter)) return;
  if (reply[0] != static_cast<uint8_t>(letter) && reply[1] == '\n' && reply[2] == '\r')
    fail(ErrorKind::device_error,
         fmt::format("{}: the bootloader refused {} (answered '{}')", port_.path(), what, static_cast<char>(reply[0])),
         "the address is outside the application area the bootloader lets anyone write");
  garbage(what, reply);
}

const Version& Client::connect() {
  // Whatever a previous session or the application left in the buffers is not an answer.
  uint8_t junk[256];
  while (port_.read(junk, Millis(20)) > 0) {
  }
  send(cmd::set_binary());
  const auto nr = receive(2, options_.reply_timeout, "N# (binary mode)");
  if (nr[0] != '\n' || nr[1] != '\r') garbage("N# (binary mode)", nr);

  send(cmd::version());
  const auto line = receive_line(options_.reply_timeout, "V# (version)");
  auto v = parse_version(line);
  if (!v) garbage("V# (version)", line);
  version_ = *v;
  if (!version_.chip_erase || !version_.write_buffer || !version_.checksum)
    fail(ErrorKind::unsupported,
         fmt::format("{}: bootloader \"{}\" lacks the Arduino X/Y/Z extensions omv uses", port_.path(), version_.text),
         "update the board's bootloader with the Arduino IDE (Tools > Burn Bootloader)");
  if (version_.identify) {
    send(cmd::identify());
    const auto id = receive_line(options_.reply_timeout, "I# (chip id)");
    auto text = parse_line(id);
    if (!text) garbage("I# (chip id)", id);
    chip_ = *text;
  }
  return version_;
}

void Client::erase_from(uint32_t address, Millis timeout) {
  send(cmd::erase_from(address));
  expect_ack('X', timeout, fmt::format("X (erase from {:#010x})", address).c_str());
}

void Client::write(uint32_t address, std::span<const uint8_t> data, Millis per_chunk_timeout,
                   const Progress& progress) {
  size_t done = 0;
  while (done < data.size()) {
    const auto n = static_cast<uint32_t>(std::min<size_t>(options_.buffer_size, data.size() - done));
    const uint32_t dst = address + static_cast<uint32_t>(done);
    send(cmd::write(options_.buffer_address, n));
    send_data(data.subspan(done, n));
    send(cmd::buffer_source(options_.buffer_address));
    expect_ack('Y', options_.reply_timeout, "Y (buffer source)");
    send(cmd::buffer_copy(dst, n));
    expect_ack('Y', per_chunk_timeout, fmt::format("Y (write {} bytes at {:#010x})", n, dst).c_str());
    done += n;
    if (progress) progress(done);
  }
}

uint16_t Client::checksum(uint32_t address, uint32_t size, Millis timeout) {
  send(cmd::checksum(address, size));
  const auto what = fmt::format("Z (checksum of {} bytes at {:#010x})", size, address);
  const auto reply = receive(12, timeout, what.c_str());
  auto crc = parse_checksum(reply);
  if (!crc) garbage(what.c_str(), reply);
  return *crc;
}

std::vector<uint8_t> Client::read(uint32_t address, uint32_t size, const Progress& progress) {
  std::vector<uint8_t> out;
  out.reserve(size);
  while (out.size() < size) {
    const auto n = static_cast<uint32_t>(std::min<size_t>(options_.read_chunk, size - out.size()));
    const uint32_t at = address + static_cast<uint32_t>(out.size());
    send(cmd::read(at, n));
    const auto chunk = receive(n, options_.reply_timeout, fmt::format("R (read {} bytes at {:#010x})", n, at).c_str());
    out.insert(out.end(), chunk.begin(), chunk.end());
    if (progress) progress(out.size());
  }
  return out;
}

uint32_t Client::read_word(uint32_t address) {
  send(cmd::read_word(address));
  const auto w = receive(4, options_.reply_timeout, "w (read word)");
  return static_cast<uint32_t>(w[0]) | (static_cast<uint32_t>(w[1]) << 8) | (static_cast<uint32_t>(w[2]) << 16) |
         (static_cast<uint32_t>(w[3]) << 24);
}

void Client::reset() {
  send(version_.reset ? cmd::reset() : cmd::write_word(kAircr, kAircrReset));
  try {
    port_.drain();
  } catch (const Error&) {
    // The board is already gone: that is what a reset looks like.
  }
}

}  // namespace omv::protocol::samba
