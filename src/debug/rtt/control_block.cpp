#include "debug/rtt/control_block.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

namespace omv::debug::rtt {
namespace {

constexpr uint8_t kId[kIdSize] = {'S', 'E', 'G', 'G', 'E', 'R', ' ', 'R', 'T', 'T', 0, 0, 0, 0, 0, 0};

uint32_t le32(std::span<const uint8_t> b, size_t at) {
  return static_cast<uint32_t>(b[at] | b[at + 1] << 8 | b[at + 2] << 16 | static_cast<uint32_t>(b[at + 3]) << 24);
}

void say(std::string* why, std::string text) {
  if (why) *why = std::move(text);
}

}  // namespace

std::span<const uint8_t> id_bytes() { return kId; }

bool starts_with_id(std::span<const uint8_t> bytes) {
  return bytes.size() >= kIdSize && std::memcmp(bytes.data(), kId, kIdSize) == 0;
}

std::vector<size_t> find_ids(std::span<const uint8_t> window) {
  std::vector<size_t> found;
  if (window.size() < kIdSize) return found;
  for (size_t i = 0; i + kIdSize <= window.size(); ++i)
    if (window[i] == 'S' && std::memcmp(window.data() + i, kId, kIdSize) == 0) found.push_back(i);
  return found;
}

std::optional<Counts> parse_header(std::span<const uint8_t> header, std::string* why) {
  if (header.size() < kHeaderSize) {
    say(why, "the control block is cut short");
    return std::nullopt;
  }
  if (!starts_with_id(header)) {
    say(why, "no \"SEGGER RTT\" ID there (the target was reset, or has not set RTT up yet)");
    return std::nullopt;
  }
  const auto up = static_cast<int32_t>(le32(header, 16)), down = static_cast<int32_t>(le32(header, 20));
  if (up < 1 || down < 0 || static_cast<uint32_t>(up) > kMaxBuffers || static_cast<uint32_t>(down) > kMaxBuffers) {
    say(why, fmt::format("impossible buffer counts ({} up, {} down)", up, down));
    return std::nullopt;
  }
  return Counts{static_cast<uint32_t>(up), static_cast<uint32_t>(down)};
}

size_t block_size(const Counts& counts) { return kHeaderSize + kDescriptorSize * (counts.up + counts.down); }

std::optional<ControlBlock> parse_block(uint64_t address, std::span<const uint8_t> bytes, const std::vector<Range>& ram,
                                        std::string* why) {
  auto counts = parse_header(bytes, why);
  if (!counts) return std::nullopt;
  if (bytes.size() < block_size(*counts)) {
    say(why, "the control block is cut short");
    return std::nullopt;
  }
  ControlBlock block;
  block.address = address;
  for (uint32_t i = 0; i < counts->up + counts->down; ++i) {
    const size_t at = kHeaderSize + i * kDescriptorSize;
    Buffer b;
    b.descriptor = address + at;
    b.name = le32(bytes, at);
    b.buffer = le32(bytes, at + 4);
    b.size = le32(bytes, at + 8);
    b.write_offset = le32(bytes, at + kWriteOffsetField);
    b.read_offset = le32(bytes, at + kReadOffsetField);
    b.flags = le32(bytes, at + 20);
    const bool is_up = i < counts->up;
    const std::string name = fmt::format("{}-buffer {}", is_up ? "up" : "down", is_up ? i : i - counts->up);
    // An unused buffer has size 0 and no storage; a used one must be sane.
    if (b.size != 0 || b.buffer != 0) {
      if (b.size < 2 || b.write_offset >= b.size || b.read_offset >= b.size) {
        say(why, fmt::format("{} at 0x{:08x}: offsets {} / {} do not fit its size {}", name, b.descriptor, b.write_offset,
                             b.read_offset, b.size));
        return std::nullopt;
      }
      if (!ram.empty() && std::none_of(ram.begin(), ram.end(), [&](const Range& r) { return r.contains(b.buffer, b.size); })) {
        say(why, fmt::format("{} at 0x{:08x}: its storage 0x{:08x} (+{}) is outside RAM", name, b.descriptor, b.buffer, b.size));
        return std::nullopt;
      }
    }
    (is_up ? block.up : block.down).push_back(b);
  }
  return block;
}

UpRead pending_up(const Buffer& up) {
  UpRead r;
  r.new_read_offset = up.read_offset;
  if (up.size == 0 || up.write_offset == up.read_offset) return r;
  if (up.read_offset < up.write_offset) {
    r.pieces.push_back({up.buffer + uint64_t{up.read_offset}, up.write_offset - up.read_offset});
  } else {
    r.pieces.push_back({up.buffer + uint64_t{up.read_offset}, up.size - up.read_offset});
    if (up.write_offset > 0) r.pieces.push_back({up.buffer, up.write_offset});
  }
  for (const auto& p : r.pieces) r.bytes += p.length;
  r.new_read_offset = up.write_offset;
  return r;
}

DownWrite place_down(const Buffer& down, uint32_t length) {
  DownWrite w;
  w.new_write_offset = down.write_offset;
  if (down.size < 2 || length == 0) return w;
  const uint32_t free_bytes = down.read_offset > down.write_offset ? down.read_offset - down.write_offset - 1
                                                                  : down.size - down.write_offset + down.read_offset - 1;
  w.bytes = std::min(length, free_bytes);
  if (w.bytes == 0) return w;
  const uint32_t first = std::min(w.bytes, down.size - down.write_offset);
  w.pieces.push_back({down.buffer + uint64_t{down.write_offset}, first});
  if (first < w.bytes) w.pieces.push_back({down.buffer, w.bytes - first});
  w.new_write_offset = (down.write_offset + w.bytes) % down.size;
  return w;
}

}  // namespace omv::debug::rtt
