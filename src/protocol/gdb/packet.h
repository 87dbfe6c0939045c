#pragma once
// The GDB Remote Serial Protocol's packet layer: `$payload#cs` framing with its modulo-256
// checksum, binary escaping (`}` then the byte XOR 0x20) both ways, run-length decoding of
// replies (`c*N`: N-29 more copies of c), hex fields, and an incremental reader that turns a byte
// stream into acks, naks, packets and interrupts.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace omv::protocol::gdb {

uint8_t checksum(std::string_view payload);
// "$payload#cs"; the payload is sent as given (escape binary data first).
std::string frame(std::string_view payload);

// Escapes `#`, `$`, `}` and `*` as gdb does (a stub's reader must not see `*` as a run).
std::string escape_binary(std::span<const uint8_t> data);
// Undoes escape_binary; nullopt when the text ends with a lone escape character.
std::optional<std::vector<uint8_t>> unescape_binary(std::string_view text);
// What a server may send for a reply: runs of 4..96 equal characters as `c*N` (N-29 more copies),
// except counts that would encode as '#' or '$', and never runs of '}', '*', '#' or '$'.
std::string encode_runs(std::string_view payload);
// Expands `c*N` runs; nullopt on a run with nothing before it or a count outside ' '..'~'.
std::optional<std::string> expand_runs(std::string_view payload);

std::string to_hex(std::span<const uint8_t> data);
std::string to_hex(std::string_view text);
// nullopt on an odd length or a non-hex digit.
std::optional<std::vector<uint8_t>> from_hex(std::string_view hex);
// A hex number of at most 16 digits; nullopt otherwise.
std::optional<uint64_t> parse_hex_number(std::string_view hex);

struct Incoming {
  enum class Kind { ack, nak, packet, interrupt };
  Kind kind = Kind::packet;
  std::string payload;        // as framed (runs not expanded, escapes kept)
  bool checksum_ok = true;
};

// Feed bytes as they arrive; take complete items with next(). Bytes outside a packet other than
// `+`, `-` and 0x03 are noise and dropped; a `$` inside a packet starts it again, as gdb does.
class PacketReader {
 public:
  static constexpr size_t kMaxPacket = 1 << 20;
  void feed(std::span<const uint8_t> bytes);
  std::optional<Incoming> next();
  // A packet longer than kMaxPacket was dropped since the last call.
  bool overflowed();

 private:
  std::string pending_;
  size_t scan_ = 0;
  bool overflowed_ = false;
};

}  // namespace omv::protocol::gdb
