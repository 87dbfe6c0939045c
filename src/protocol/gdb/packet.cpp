#include "protocol/gdb/packet.h"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

namespace omv::protocol::gdb {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool needs_escape(uint8_t b) { return b == '#' || b == '$' || b == '}' || b == '*'; }

}  // namespace

uint8_t checksum(std::string_view payload) {
  uint8_t sum = 0;
  for (char c : payload) sum = static_cast<uint8_t>(sum + static_cast<uint8_t>(c));
  return sum;
}

std::string frame(std::string_view payload) {
  std::string out;
  out.reserve(payload.size() + 4);
  out += '$';
  out += payload;
  out += fmt::format("#{:02x}", checksum(payload));
  return out;
}

std::string encode_runs(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size();) {
    size_t j = i;
    while (j < s.size() && s[j] == s[i] && j - i < 96) ++j;  // 96: the count stays below '}'
    const size_t repeat = j - i - 1;
    if (repeat >= 3 && repeat != 6 && repeat != 7 && s[i] != '}' && s[i] != '*' && s[i] != '#' && s[i] != '$') {
      out += s[i];
      out += '*';
      out += static_cast<char>(repeat + 29);
    } else {
      out.append(j - i, s[i]);
    }
    i = j;
  }
  return out;
}

std::string escape_binary(std::span<const uint8_t> data) {
  std::string out;
  out.reserve(data.size() + data.size() / 16);
  for (uint8_t b : data) {
    if (needs_escape(b)) {
      out += '}';
      out += static_cast<char>(b ^ 0x20);
    } else {
      out += static_cast<char>(b);
    }
  }
  return out;
}

std::optional<std::vector<uint8_t>> unescape_binary(std::string_view text) {
  std::vector<uint8_t> out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '}') {
      if (++i == text.size()) return std::nullopt;
      out.push_back(static_cast<uint8_t>(text[i] ^ 0x20));
    } else {
      out.push_back(static_cast<uint8_t>(text[i]));
    }
  }
  return out;
}

std::optional<std::string> expand_runs(std::string_view payload) {
  std::string out;
  out.reserve(payload.size());
  for (size_t i = 0; i < payload.size(); ++i) {
    if (payload[i] != '*') {
      out += payload[i];
      continue;
    }
    if (out.empty() || i + 1 == payload.size()) return std::nullopt;
    const int count = static_cast<uint8_t>(payload[++i]) - 29;
    if (count < 3 || count > 126 - 29) return std::nullopt;
    out.append(static_cast<size_t>(count), out.back());
  }
  return out;
}

std::string to_hex(std::span<const uint8_t> data) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 2);
  for (uint8_t b : data) {
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

std::string to_hex(std::string_view text) {
  return to_hex(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
}

std::optional<std::vector<uint8_t>> from_hex(std::string_view hex) {
  if (hex.size() % 2) return std::nullopt;
  std::vector<uint8_t> out;
  out.reserve(hex.size() / 2);
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = hex_digit(hex[i]), lo = hex_digit(hex[i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return out;
}

std::optional<uint64_t> parse_hex_number(std::string_view hex) {
  if (hex.empty() || hex.size() > 16) return std::nullopt;
  uint64_t v = 0;
  for (char c : hex) {
    int d = hex_digit(c);
    if (d < 0) return std::nullopt;
    v = v << 4 | static_cast<uint64_t>(d);
  }
  return v;
}

void PacketReader::feed(std::span<const uint8_t> bytes) { pending_.append(bytes.begin(), bytes.end()); }

bool PacketReader::overflowed() { return std::exchange(overflowed_, false); }

std::optional<Incoming> PacketReader::next() {
  while (!pending_.empty()) {
    const char first = pending_[0];
    if (first == '+' || first == '-' || first == '\x03') {
      pending_.erase(0, 1);
      scan_ = 0;
      Incoming in;
      in.kind = first == '+' ? Incoming::Kind::ack : first == '-' ? Incoming::Kind::nak : Incoming::Kind::interrupt;
      return in;
    }
    if (first != '$') {
      pending_.erase(0, 1);
      continue;
    }
    // Inside a packet: look for its end, or a new start.
    size_t i = std::max<size_t>(scan_, 1);
    for (; i < pending_.size(); ++i)
      if (pending_[i] == '#' || pending_[i] == '$') break;
    if (i < pending_.size() && pending_[i] == '$') {
      pending_.erase(0, i);
      scan_ = 0;
      continue;
    }
    if (i + 2 >= pending_.size()) {
      scan_ = i;
      if (pending_.size() > kMaxPacket) {
        pending_.clear();
        scan_ = 0;
        overflowed_ = true;
      }
      return std::nullopt;
    }
    Incoming in;
    in.payload = pending_.substr(1, i - 1);
    const int hi = hex_digit(pending_[i + 1]), lo = hex_digit(pending_[i + 2]);
    in.checksum_ok = hi >= 0 && lo >= 0 && checksum(in.payload) == (hi << 4 | lo);
    pending_.erase(0, i + 3);
    scan_ = 0;
    return in;
  }
  return std::nullopt;
}

}  // namespace omv::protocol::gdb
