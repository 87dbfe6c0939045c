#pragma once
// An in-memory GDB server for tests: a ByteStream whose far end parses what the client sends
// and answers as a server would, over one memory region (flash or RAM), with switches for the
// behaviours real servers differ in and counters of what it was asked.
#include <fmt/format.h>

#include <deque>
#include <map>
#include <utility>
#include <string>
#include <vector>

#include "core/error.h"
#include "protocol/gdb/byte_stream.h"
#include "protocol/gdb/crc32.h"
#include "protocol/gdb/packet.h"

namespace omv::protocol::gdb::testing {

class FakeServer : public ByteStream {
 public:
  enum class Crc { correct, unsupported, wrong, thread_id };

  uint64_t base = 0x08000000;
  std::vector<uint8_t> memory = std::vector<uint8_t>(0x10000, 0xFF);
  bool flash = true;               // memory map says flash, vFlash* work (erase to 0xFF)
  bool offer_map = true;
  bool offer_no_ack = true;
  bool accept_x = true;
  bool run_length = false;         // replies run-length encoded (probe-rs)
  int corrupt_replies = 0;         // this many replies go out with a wrong checksum first
  Crc crc = Crc::correct;
  size_t packet_size = 0x1000;
  uint64_t blocksize = 0x1000;
  std::map<std::string, int> counts;  // by command: "m", "X", "M", "qCRC", "vFlashErase", ...
  std::vector<std::string> monitor_log;
  bool acks = true;
  bool silent = false;             // never answers
  bool detach_needs_pid = false;   // QEMU after a multiprocess gdb: `D` is E22, `D;1` is OK
  int drop_after_writes = -1;      // the connection drops when this many more vFlashWrite/X/M came in

  std::string describe() const override { return "127.0.0.1:9"; }

  void write(std::span<const uint8_t> data) override {
    reader_.feed(data);
    while (auto in = reader_.next()) {
      if (in->kind == Incoming::Kind::nak && !pending_resend_.empty()) send(std::exchange(pending_resend_, {}));
      if (in->kind != Incoming::Kind::packet) continue;
      if (silent) continue;
      const char c = in->payload.empty() ? 0 : in->payload[0];
      if (drop_after_writes >= 0 && (c == 'X' || c == 'M' || in->payload.starts_with("vFlashWrite")) &&
          drop_after_writes-- == 0)
        throw Error(ErrorKind::no_device, "GDB server at " + describe() + " closed the connection");
      if (acks) send("+");
      handle(in->payload);
    }
  }

  size_t read(std::span<uint8_t> data, Millis) override {
    size_t n = 0;
    while (n < data.size() && !out_.empty()) {
      data[n++] = out_.front();
      out_.pop_front();
    }
    return n;
  }

  std::string map_xml() const {
    return fmt::format(
        "<?xml version=\"1.0\"?>\n<!DOCTYPE memory-map PUBLIC \"+//IDN gnu.org//DTD GDB Memory Map V1.0//EN\" "
        "\"http://sourceware.org/gdb/gdb-memory-map.dtd\">\n<memory-map>\n<memory type=\"{}\" start=\"0x{:x}\" "
        "length=\"0x{:x}\">{}</memory>\n<memory type=\"ram\" start=\"0x20000000\" length=\"0x20000\"/>\n</memory-map>\n",
        flash ? "flash" : "ram", base, memory.size(),
        flash ? fmt::format("<property name=\"blocksize\">0x{:x}</property>", blocksize) : std::string());
  }

  bool inside(uint64_t a, uint64_t n) const { return a >= base && a - base <= memory.size() && n <= memory.size() - (a - base); }

 private:
  void send(const std::string& s) { out_.insert(out_.end(), s.begin(), s.end()); }

  void reply(std::string payload) {
    if (run_length) payload = encode_runs(payload);
    std::string framed = frame(payload);
    if (corrupt_replies > 0 && acks) {
      --corrupt_replies;
      std::string bad = framed;
      bad[bad.size() - 1] = bad[bad.size() - 1] == '0' ? '1' : '0';
      send(bad);
      pending_resend_ = framed;
      return;
    }
    send(framed);
  }

  void handle(const std::string& p) {
    auto name = p.substr(0, p.find_first_of(":,;"));
    if (name.size() > 1 && (p[0] == 'm' || p[0] == 'M' || p[0] == 'X')) name = p.substr(0, 1);
    counts[name]++;
    if (p.starts_with("qSupported")) {
      std::string f = fmt::format("PacketSize={:x}", packet_size);
      if (offer_map) f += ";qXfer:memory-map:read+";
      if (offer_no_ack) f += ";QStartNoAckMode+";
      return reply(f);
    }
    if (p == "QStartNoAckMode" && offer_no_ack) {
      reply("OK");
      acks = false;
      return;
    }
    if (p.starts_with("qXfer:memory-map:read::") && offer_map) {
      auto args = p.substr(23);
      auto comma = args.find(',');
      auto off = *parse_hex_number(args.substr(0, comma));
      auto len = *parse_hex_number(args.substr(comma + 1));
      const auto xml = map_xml();
      if (off >= xml.size()) return reply("l");
      auto piece = xml.substr(off, len);
      auto bytes = std::vector<uint8_t>(piece.begin(), piece.end());
      return reply((off + len >= xml.size() ? "l" : "m") + escape_binary(bytes));
    }
    if (p[0] == 'm') {
      auto [a, n] = address_length(p.substr(1));
      if (!inside(a, n)) return reply("E01");
      return reply(to_hex(std::span<const uint8_t>(memory).subspan(a - base, n)));
    }
    if (p[0] == 'M') {
      auto colon = p.find(':');
      auto [a, n] = address_length(p.substr(1, colon - 1));
      auto bytes = from_hex(p.substr(colon + 1));
      if (!bytes || bytes->size() != n || !inside(a, n)) return reply("E02");
      std::copy(bytes->begin(), bytes->end(), memory.begin() + static_cast<std::ptrdiff_t>(a - base));
      return reply("OK");
    }
    if (p[0] == 'X') {
      if (!accept_x) return reply("");
      auto colon = p.find(':');
      auto [a, n] = address_length(p.substr(1, colon - 1));
      auto bytes = unescape_binary(p.substr(colon + 1));
      if (!bytes || bytes->size() != n) return reply("E03");
      if (n == 0) return reply("OK");
      if (!inside(a, n)) return reply("E01");
      std::copy(bytes->begin(), bytes->end(), memory.begin() + static_cast<std::ptrdiff_t>(a - base));
      return reply("OK");
    }
    if (p.starts_with("qCRC:")) {
      auto [a, n] = address_length(p.substr(5));
      if (crc == Crc::unsupported) return reply("");
      if (crc == Crc::thread_id) return reply("QC1");
      if (!inside(a, n)) return reply("E01");
      uint32_t c = gdb_crc32(std::span<const uint8_t>(memory).subspan(a - base, n));
      if (crc == Crc::wrong) c ^= 0x5a5a5a5a;
      return reply(fmt::format("C{:x}", c));
    }
    if (p.starts_with("vFlashErase:") && flash) {
      auto [a, n] = address_length(p.substr(12));
      if (!inside(a, n) || (a - base) % blocksize || n % blocksize) return reply("E04");
      std::fill_n(memory.begin() + static_cast<std::ptrdiff_t>(a - base), n, 0xFF);
      return reply("OK");
    }
    if (p.starts_with("vFlashWrite:") && flash) {
      auto rest = p.substr(12);
      auto colon = rest.find(':');
      auto a = *parse_hex_number(rest.substr(0, colon));
      auto bytes = unescape_binary(rest.substr(colon + 1));
      if (!bytes || !inside(a, bytes->size())) return reply("E05");
      for (size_t i = 0; i < bytes->size(); ++i) memory[a - base + i] &= (*bytes)[i];  // programs 1 -> 0 only
      writes_since_done_++;
      return reply("OK");
    }
    if (p == "vFlashDone" && flash) {
      if (writes_since_done_ == 0) return reply("E06");  // probe-rs refuses a lone vFlashDone
      writes_since_done_ = 0;
      return reply("OK");
    }
    if (p.starts_with("qRcmd,")) {
      auto text = from_hex(p.substr(6));
      std::string cmd(text->begin(), text->end());
      monitor_log.push_back(cmd);
      std::string said = "resetting\n";
      reply("O" + to_hex(said));
      return reply("OK");
    }
    if (p == "D") return reply(detach_needs_pid ? "E22" : "OK");
    if (p == "D;1") return reply("OK");
    if (p == "c") return;
    reply("");
  }

  static std::pair<uint64_t, uint64_t> address_length(const std::string& s) {
    auto comma = s.find(',');
    return {parse_hex_number(s.substr(0, comma)).value_or(0), parse_hex_number(s.substr(comma + 1)).value_or(0)};
  }

  PacketReader reader_;
  std::deque<uint8_t> out_;
  std::string pending_resend_;
  int writes_since_done_ = 0;
};

}  // namespace omv::protocol::gdb::testing
