#pragma once
// OpenMV Protocol packets (firmware 5.x, protocol 1.0.x), all little endian:
//
//   aa d5 | seq | channel | flags | opcode | length:u16 | crc16(header[0..8)):u16 | payload | crc32(payload):u32
//
// The CRC-32 trailer is present only when length > 0. PacketReader reassembles packets from a
// byte stream that may hold noise, partial packets and corrupt headers, as a serial port does.
#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace omv::protocol::openmv {

inline constexpr uint16_t kSyncWord = 0xD5AA;
inline constexpr size_t kHeaderSize = 10;
inline constexpr size_t kMaxBufferSize = 4096;
inline constexpr size_t kMaxPayload = kMaxBufferSize - kHeaderSize - 2;
inline constexpr uint32_t kMagicBaud = 921600;

enum class Opcode : uint8_t {
  proto_sync = 0x00,
  proto_get_caps = 0x01,
  proto_set_caps = 0x02,
  proto_stats = 0x03,
  proto_version = 0x04,
  sys_reset = 0x10,
  sys_boot = 0x11,
  sys_info = 0x12,
  sys_event = 0x13,
  channel_list = 0x20,
};

namespace flags {
inline constexpr uint8_t ack = 0x01;
inline constexpr uint8_t nak = 0x02;
inline constexpr uint8_t rtx = 0x04;
inline constexpr uint8_t ack_req = 0x08;
inline constexpr uint8_t fragment = 0x10;
inline constexpr uint8_t event = 0x20;
}  // namespace flags

enum class Status : uint16_t {
  success = 0, failed = 1, invalid = 2, timeout = 3, busy = 4,
  checksum = 5, sequence = 6, overflow = 7, fragment = 8, unknown = 9,
};
const char* to_string(Status status);

struct Packet {
  uint8_t seq = 0;
  uint8_t channel = 0;
  uint8_t flags = 0;
  uint8_t opcode = 0;
  std::vector<uint8_t> payload;

  bool is_ack() const { return (flags & flags::ack) != 0; }
  bool is_nak() const { return (flags & flags::nak) != 0; }
  // A NAK carries its status as a u16 payload.
  std::optional<Status> nak_status() const;
  bool operator==(const Packet&) const = default;
};

Packet make_command(Opcode opcode, uint8_t seq, std::vector<uint8_t> payload = {}, uint8_t channel = 0);
std::vector<uint8_t> encode(const Packet& packet);
// One complete packet and nothing else; nullopt on any defect.
std::optional<Packet> decode(std::span<const uint8_t> bytes);

// The three little-endian version triplets a camera reports (PROTO_VERSION, 16-byte payload).
struct Version {
  uint8_t major = 0, minor = 0, patch = 0;
  auto operator<=>(const Version&) const = default;
  std::string str() const;
};
struct VersionInfo {
  Version protocol, bootloader, firmware;
};
std::vector<uint8_t> encode_version_payload(const VersionInfo& info);
std::optional<VersionInfo> decode_version_payload(std::span<const uint8_t> payload);

class PacketReader {
 public:
  struct Item {
    Packet packet;
    bool payload_ok = true;  // false: header fine, payload CRC-32 wrong
  };

  void feed(std::span<const uint8_t> bytes);
  // The next packet reassembled from what was fed so far.
  std::optional<Item> next();
  // Bytes discarded while looking for a valid header (noise, corrupt headers).
  uint64_t skipped() const { return skipped_; }
  uint64_t bad_headers() const { return bad_headers_; }
  size_t buffered() const { return buffer_.size(); }
  void clear() { buffer_.clear(); }

 private:
  bool header_at(size_t offset, bool sync_only) const;
  void drop(size_t count);

  std::deque<uint8_t> buffer_;
  uint64_t skipped_ = 0;
  uint64_t bad_headers_ = 0;
};

}  // namespace omv::protocol::openmv
