#include "protocol/openmv/packet.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "protocol/openmv/crc.h"

namespace omv::protocol::openmv {
namespace {

void put16(std::vector<uint8_t>& out, uint16_t v) {
  out.push_back(static_cast<uint8_t>(v & 0xFF));
  out.push_back(static_cast<uint8_t>(v >> 8));
}
void put32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}
template <typename Bytes>
uint16_t get16(const Bytes& b, size_t at) {
  return static_cast<uint16_t>(b[at] | (b[at + 1] << 8));
}
template <typename Bytes>
uint32_t get32(const Bytes& b, size_t at) {
  return static_cast<uint32_t>(b[at]) | (static_cast<uint32_t>(b[at + 1]) << 8) |
         (static_cast<uint32_t>(b[at + 2]) << 16) | (static_cast<uint32_t>(b[at + 3]) << 24);
}

}  // namespace

const char* to_string(Status status) {
  switch (status) {
    case Status::success: return "success";
    case Status::failed: return "failed";
    case Status::invalid: return "invalid command or argument";
    case Status::timeout: return "timeout";
    case Status::busy: return "busy";
    case Status::checksum: return "checksum error";
    case Status::sequence: return "sequence error";
    case Status::overflow: return "buffer overflow";
    case Status::fragment: return "fragmentation error";
    case Status::unknown: return "unknown error";
  }
  return "unrecognised status";
}

std::optional<Status> Packet::nak_status() const {
  if (!is_nak() || payload.size() < 2) return std::nullopt;
  return static_cast<Status>(get16(payload, 0));
}

Packet make_command(Opcode opcode, uint8_t seq, std::vector<uint8_t> payload, uint8_t channel) {
  Packet p;
  p.seq = seq;
  p.channel = channel;
  p.opcode = static_cast<uint8_t>(opcode);
  p.payload = std::move(payload);
  return p;
}

std::vector<uint8_t> encode(const Packet& packet) {
  const size_t length = std::min(packet.payload.size(), kMaxPayload);
  std::vector<uint8_t> out;
  out.reserve(kHeaderSize + length + 4);
  put16(out, kSyncWord);
  out.push_back(packet.seq);
  out.push_back(packet.channel);
  out.push_back(packet.flags);
  out.push_back(packet.opcode);
  put16(out, static_cast<uint16_t>(length));
  put16(out, crc16(out));
  if (length > 0) {
    std::span<const uint8_t> payload(packet.payload.data(), length);
    out.insert(out.end(), payload.begin(), payload.end());
    put32(out, crc32(payload));
  }
  return out;
}

std::optional<Packet> decode(std::span<const uint8_t> bytes) {
  PacketReader reader;
  reader.feed(bytes);
  auto item = reader.next();
  if (!item || !item->payload_ok || reader.skipped() != 0 || reader.buffered() != 0) return std::nullopt;
  return item->packet;
}

std::string Version::str() const { return fmt::format("{}.{}.{}", major, minor, patch); }

std::vector<uint8_t> encode_version_payload(const VersionInfo& info) {
  std::vector<uint8_t> out(16, 0);
  const Version* parts[] = {&info.protocol, &info.bootloader, &info.firmware};
  for (size_t i = 0; i < 3; ++i) {
    out[i * 3] = parts[i]->major;
    out[i * 3 + 1] = parts[i]->minor;
    out[i * 3 + 2] = parts[i]->patch;
  }
  return out;
}

std::optional<VersionInfo> decode_version_payload(std::span<const uint8_t> payload) {
  if (payload.size() < 9) return std::nullopt;
  auto at = [&](size_t i) { return Version{payload[i], payload[i + 1], payload[i + 2]}; };
  return VersionInfo{at(0), at(3), at(6)};
}

void PacketReader::feed(std::span<const uint8_t> bytes) { buffer_.insert(buffer_.end(), bytes.begin(), bytes.end()); }

void PacketReader::drop(size_t count) {
  buffer_.erase(buffer_.begin(), buffer_.begin() + static_cast<std::ptrdiff_t>(count));
}

bool PacketReader::header_at(size_t offset, bool sync_only) const {
  if (buffer_.size() < offset + kHeaderSize) return false;
  std::array<uint8_t, kHeaderSize> h{};
  std::copy_n(buffer_.begin() + static_cast<std::ptrdiff_t>(offset), kHeaderSize, h.begin());
  if (get16(h, 0) != kSyncWord) return false;
  if (crc16(std::span<const uint8_t>(h.data(), 8)) != get16(h, 8)) return false;
  const uint16_t length = get16(h, 6);
  if (length > kMaxPayload) return false;
  if (sync_only) return h[5] == static_cast<uint8_t>(Opcode::proto_sync) && h[3] == 0 && length == 0;
  return true;
}

std::optional<PacketReader::Item> PacketReader::next() {
  for (;;) {
    while (buffer_.size() >= 2 && get16(buffer_, 0) != kSyncWord) {
      drop(1);
      ++skipped_;
    }
    if (buffer_.size() < kHeaderSize) return std::nullopt;
    if (!header_at(0, false)) {
      drop(1);
      ++skipped_;
      ++bad_headers_;
      continue;
    }
    const size_t length = get16(buffer_, 6);
    const size_t total = kHeaderSize + length + (length ? 4 : 0);
    if (buffer_.size() < total) {
      // A header whose payload never comes must not wedge the stream: a complete PROTO_SYNC
      // behind it wins, as it does on the camera.
      size_t sync_at = 0;
      for (size_t offset = 1; offset + kHeaderSize <= buffer_.size() && !sync_at; ++offset)
        if (header_at(offset, true)) sync_at = offset;
      if (!sync_at) return std::nullopt;
      drop(sync_at);
      skipped_ += sync_at;
      continue;
    }
    Item item;
    item.packet.seq = buffer_[2];
    item.packet.channel = buffer_[3];
    item.packet.flags = buffer_[4];
    item.packet.opcode = buffer_[5];
    if (length > 0) {
      item.packet.payload.assign(buffer_.begin() + kHeaderSize,
                                 buffer_.begin() + static_cast<std::ptrdiff_t>(kHeaderSize + length));
      item.payload_ok = crc32(item.packet.payload) == get32(buffer_, kHeaderSize + length);
    }
    drop(total);
    return item;
  }
}

}  // namespace omv::protocol::openmv
