#include "protocol/gdb/client.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "core/numbers.h"

namespace omv::protocol::gdb {
namespace {

using Clock = std::chrono::steady_clock;

constexpr size_t kMaxReadChunk = 2048;  // QEMU answers E22 to a longer m

bool escaped_byte(uint8_t b) { return b == '#' || b == '$' || b == '}' || b == '*'; }

bool is_error_reply(const std::string& r) {
  return r.size() >= 2 && r[0] == 'E' && (r.size() == 3 || r[1] == '.' || r[1] == ' ');
}

bool all_hex(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789abcdefABCDEF") == std::string_view::npos;
}

}  // namespace

bool Features::supports(const std::string& name) const {
  auto it = values.find(name);
  return it != values.end() && it->second == "+";
}

Features parse_features(std::string_view reply) {
  Features f;
  size_t pos = 0;
  while (pos <= reply.size()) {
    size_t end = reply.find(';', pos);
    if (end == std::string_view::npos) end = reply.size();
    std::string item(reply.substr(pos, end - pos));
    pos = end + 1;
    if (item.empty()) continue;
    if (auto eq = item.find('='); eq != std::string::npos) {
      f.values[item.substr(0, eq)] = item.substr(eq + 1);
    } else if (item.back() == '+' || item.back() == '-' || item.back() == '?') {
      f.values[item.substr(0, item.size() - 1)] = std::string(1, item.back());
    }
  }
  if (auto it = f.values.find("PacketSize"); it != f.values.end())
    if (auto size = parse_hex_number(it->second); size && *size >= 64) f.packet_size = std::min<uint64_t>(*size, 1 << 20);
  return f;
}

Client::Client(ByteStream& stream, ClientOptions options)
    : stream_(stream), options_(options), server_("GDB server at " + stream.describe()) {}

size_t Client::payload_budget() const { return features_.packet_size > 16 ? features_.packet_size - 5 : 11; }

size_t Client::read_chunk() const {
  size_t by_packet = (payload_budget() - 1) / 2;
  return std::max<size_t>(std::min(by_packet, kMaxReadChunk) / 16 * 16, 16);
}

void Client::read_more(Clock::time_point deadline, Millis timeout, std::string_view what) {
  const auto now = Clock::now();
  const auto left = now < deadline ? std::chrono::duration_cast<Millis>(deadline - now) + Millis(1) : Millis(0);
  uint8_t buf[4096];
  const size_t n = stream_.read(buf, left);
  if (n == 0 && Clock::now() >= deadline)
    fail(ErrorKind::timeout, fmt::format("{} did not answer {} within {:.1f} s", server_, what,
                                         std::chrono::duration<double>(timeout).count()),
         "check that the server is attached to the target (its log says why it is stuck)");
  reader_.feed(std::span<const uint8_t>(buf, n));
  if (reader_.overflowed())
    fail(ErrorKind::device_error, fmt::format("{} sent a packet longer than {} bytes in reply to {}", server_,
                                              PacketReader::kMaxPacket, what));
}

void Client::send_packet(std::string_view payload, std::string_view what) {
  const std::string framed = frame(payload);
  const auto bytes = std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(framed.data()), framed.size());
  stream_.write(bytes);
  if (!acks_) return;
  const auto deadline = Clock::now() + options_.reply_timeout;
  int resends = 0;
  for (;;) {
    while (auto in = reader_.next()) {
      if (in->kind == Incoming::Kind::ack) return;
      if (in->kind == Incoming::Kind::nak) {
        if (++resends > options_.retries)
          fail(ErrorKind::device_error, fmt::format("{} rejected {} {} times (bad checksum on the line)", server_, what, resends));
        stream_.write(bytes);
      }
      // A packet before the ack would be a reply to nothing we are waiting for: drop it.
    }
    read_more(deadline, options_.reply_timeout, what);
  }
}

std::string Client::receive_packet(Millis timeout, std::string_view what) {
  const auto deadline = Clock::now() + timeout;
  int bad = 0;
  for (;;) {
    while (auto in = reader_.next()) {
      if (in->kind != Incoming::Kind::packet) continue;
      if (!in->checksum_ok && acks_) {
        if (++bad > options_.retries)
          fail(ErrorKind::device_error, fmt::format("{}: {} replies to {} with a bad checksum", server_, bad, what));
        stream_.write(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>("-"), 1));
        continue;
      }
      if (acks_) stream_.write(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>("+"), 1));
      auto expanded = expand_runs(in->payload);
      if (!expanded)
        fail(ErrorKind::device_error,
             fmt::format("{} sent a malformed run-length encoding in reply to {}", server_, what));
      return std::move(*expanded);
    }
    read_more(deadline, timeout, what);
  }
}

std::string Client::request(std::string_view payload, Millis timeout, std::string_view what) {
  std::string name = what.empty() ? std::string(payload.substr(0, std::min<size_t>(payload.size(), 24))) : std::string(what);
  send_packet(payload, name);
  return receive_packet(timeout, name);
}

void Client::server_error(const std::string& reply, std::string_view what) {
  fail(ErrorKind::device_error,
       fmt::format("{} answered {} to {}", server_, reply.empty() ? std::string("nothing (not supported)") : reply, what),
       "the server's log says why; check that the target is attached and halted");
}

const Features& Client::connect() {
  // Not multiprocess+: with it, QEMU wants `D;pid` and answers a plain `D` with E22.
  auto reply = request("qSupported:swbreak+;hwbreak+;xmlRegisters=arm", options_.reply_timeout, "qSupported");
  features_ = parse_features(reply);
  if (features_.supports("QStartNoAckMode")) {
    auto ok = request("QStartNoAckMode", options_.reply_timeout, "QStartNoAckMode");
    if (ok == "OK") acks_ = false;
  }
  return features_;
}

std::vector<uint8_t> Client::read_memory(uint64_t address, size_t length, const Progress& progress) {
  std::vector<uint8_t> out;
  out.reserve(length);
  const size_t chunk = read_chunk();
  while (out.size() < length) {
    const uint64_t at = address + out.size();
    const size_t want = std::min(chunk, length - out.size());
    const std::string what = fmt::format("a read of {} bytes at {}", want, hex32(at));
    auto reply = request(fmt::format("m{:x},{:x}", at, want), options_.reply_timeout, what);
    if (reply.empty() || is_error_reply(reply)) server_error(reply, what);
    auto bytes = from_hex(reply);
    if (!bytes || bytes->empty() || bytes->size() > want)
      fail(ErrorKind::device_error, fmt::format("{} sent a malformed reply to {}: \"{}\"", server_, what,
                                                reply.substr(0, std::min<size_t>(reply.size(), 40))));
    out.insert(out.end(), bytes->begin(), bytes->end());
    if (progress) progress(out.size());
  }
  return out;
}

void Client::send_binary(const char* command, char separator, uint64_t address, std::span<const uint8_t> data,
                         Millis timeout) {
  const size_t budget = payload_budget();
  size_t done = 0;
  while (done < data.size()) {
    const uint64_t at = address + done;
    const bool with_length = separator == ',';
    // The header is at its longest with the whole rest as length; it only gets shorter.
    std::string header = with_length ? fmt::format("{}{:x},{:x}:", command, at, data.size() - done)
                                     : fmt::format("{}{:x}:", command, at);
    size_t take = 0, cost = header.size();
    while (done + take < data.size()) {
      size_t c = escaped_byte(data[done + take]) ? 2 : 1;
      if (cost + c > budget) break;
      cost += c;
      ++take;
    }
    if (take == 0) fail(ErrorKind::device_error, fmt::format("{}: packets of {} bytes are too small to write", server_, features_.packet_size));
    if (with_length) header = fmt::format("{}{:x},{:x}:", command, at, take);
    const auto piece = data.subspan(done, take);
    const std::string what = fmt::format("{} of {} bytes at {}", command, take, hex32(at));
    auto reply = request(header + escape_binary(piece), timeout, what);
    if (reply != "OK") server_error(reply, what);
    done += take;
  }
}

void Client::write_memory(uint64_t address, std::span<const uint8_t> data) {
  if (!binary_writes_) {
    // gdb's probe: a zero-length X is answered OK by servers that take X, with nothing otherwise.
    auto reply = request(fmt::format("X{:x},0:", address), options_.reply_timeout, "X (probe)");
    binary_writes_ = reply == "OK";
  }
  if (*binary_writes_) {
    send_binary("X", ',', address, data, options_.reply_timeout);
    return;
  }
  const size_t budget = payload_budget();
  size_t done = 0;
  while (done < data.size()) {
    const uint64_t at = address + done;
    std::string longest = fmt::format("M{:x},{:x}:", at, data.size() - done);
    const size_t take = std::min(data.size() - done, (budget - longest.size()) / 2);
    const std::string what = fmt::format("M of {} bytes at {}", take, hex32(at));
    auto reply = request(fmt::format("M{:x},{:x}:", at, take) + to_hex(data.subspan(done, take)),
                         options_.reply_timeout, what);
    if (reply != "OK") server_error(reply, what);
    done += take;
  }
}

CrcReply Client::crc(uint64_t address, uint64_t length) {
  CrcReply out;
  out.reply = request(fmt::format("qCRC:{:x},{:x}", address, length), options_.flash_timeout,
                      fmt::format("qCRC of {} bytes at {}", length, hex32(address)));
  if (out.reply.size() >= 2 && out.reply.size() <= 9 && out.reply[0] == 'C' && all_hex(out.reply.substr(1)))
    out.crc = static_cast<uint32_t>(*parse_hex_number(out.reply.substr(1)));
  return out;
}

std::optional<std::string> Client::memory_map_xml() {
  if (!features_.supports("qXfer:memory-map:read")) return std::nullopt;
  std::string xml;
  const size_t chunk = std::max<size_t>(payload_budget() / 2, 64);
  for (int pieces = 0;; ++pieces) {
    if (pieces > 4096) fail(ErrorKind::device_error, server_ + " sent a memory map that does not end");
    auto reply = request(fmt::format("qXfer:memory-map:read::{:x},{:x}", xml.size(), chunk), options_.reply_timeout,
                         "qXfer:memory-map:read");
    if (reply.empty() || (reply[0] != 'm' && reply[0] != 'l')) server_error(reply, "qXfer:memory-map:read");
    auto data = unescape_binary(std::string_view(reply).substr(1));
    if (!data) fail(ErrorKind::device_error, server_ + " sent a memory map piece ending in an escape character");
    xml.append(data->begin(), data->end());
    if (reply[0] == 'l') return xml;
    if (data->empty()) fail(ErrorKind::device_error, server_ + " sent an empty memory map piece that is not the last");
  }
}

void Client::flash_erase(uint64_t address, uint64_t length) {
  const std::string what = fmt::format("vFlashErase of {} at {}", human_size(length), hex32(address));
  auto reply = request(fmt::format("vFlashErase:{:08x},{:08x}", address, length), options_.flash_timeout, what);
  if (reply != "OK") server_error(reply, what);
}

void Client::flash_write(uint64_t address, std::span<const uint8_t> data) {
  send_binary("vFlashWrite:", ':', address, data, options_.flash_timeout);
}

void Client::flash_done() {
  auto reply = request("vFlashDone", options_.flash_timeout, "vFlashDone");
  if (reply != "OK") server_error(reply, "vFlashDone");
}

std::optional<std::string> Client::monitor(std::string_view command) {
  const std::string what = fmt::format("monitor {}", command);
  send_packet("qRcmd," + to_hex(command), what);
  std::string output;
  for (;;) {
    auto reply = receive_packet(options_.flash_timeout, what);
    if (reply.empty()) return std::nullopt;
    if (reply == "OK") return output;
    if (is_error_reply(reply)) server_error(reply, what);
    if (reply[0] == 'O' && reply.size() > 1 && all_hex(std::string_view(reply).substr(1))) {
      if (auto text = from_hex(std::string_view(reply).substr(1))) output.append(text->begin(), text->end());
      continue;
    }
    if (auto text = from_hex(reply)) return output + std::string(text->begin(), text->end());
    fail(ErrorKind::device_error, fmt::format("{} sent a malformed reply to {}: \"{}\"", server_, what,
                                              reply.substr(0, std::min<size_t>(reply.size(), 40))));
  }
}

void Client::resume() { send_packet("c", "continue"); }

std::string Client::interrupt(Millis timeout) {
  const uint8_t byte = 0x03;
  stream_.write(std::span<const uint8_t>(&byte, 1));
  for (;;) {
    auto reply = receive_packet(timeout, "an interrupt");
    if (!reply.empty() && (reply[0] == 'S' || reply[0] == 'T')) return reply;
  }
}

void Client::detach() {
  auto reply = request("D", options_.reply_timeout, "detach");
  // QEMU keeps multiprocess mode from an earlier gdb's connection and then refuses a plain D
  // (E22): detach its first process by id instead.
  if (is_error_reply(reply)) reply = request("D;1", options_.reply_timeout, "detach");
  if (reply != "OK" && !reply.empty()) server_error(reply, "detach");
}

}  // namespace omv::protocol::gdb
