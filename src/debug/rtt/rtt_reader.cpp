#include "debug/rtt/rtt_reader.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"

namespace omv::debug::rtt {
namespace {

constexpr size_t kScanChunk = 1024;

void store32(MemoryPort& port, uint64_t address, uint32_t value) {
  const uint8_t b[4] = {static_cast<uint8_t>(value), static_cast<uint8_t>(value >> 8), static_cast<uint8_t>(value >> 16),
                        static_cast<uint8_t>(value >> 24)};
  port.write(address, b);
}

}  // namespace

Reader::Reader(MemoryPort& port, Placement placement, uint32_t channel)
    : port_(port), placement_(std::move(placement)), channel_(channel) {}

std::optional<uint64_t> Reader::locate(std::string& where) {
  const auto fixed = placement_.address ? placement_.address : placement_.symbol;
  if (fixed) {
    port_.begin();
    auto header = port_.read(*fixed, kHeaderSize);
    port_.end();
    std::string why;
    if (auto counts = parse_header(header, &why)) {
      address_ = *fixed;
      block_bytes_ = block_size(*counts);
      return address_;
    }
    where = fmt::format("{} 0x{:08x}: {}", placement_.address ? "--address" : "_SEGGER_RTT in the ELF at", *fixed, why);
    return std::nullopt;
  }
  return scan(where);
}

std::optional<uint64_t> Reader::scan(std::string& where) {
  const Range& r = placement_.scan;
  std::vector<uint64_t> found;
  port_.begin();
  for (uint64_t at = r.start; at < r.start + r.length; at += kScanChunk) {
    // Each chunk overlaps the next by an ID's length, so an ID across the boundary is seen.
    const size_t n = static_cast<size_t>(std::min<uint64_t>(kScanChunk + kIdSize - 1, r.start + r.length - at));
    auto bytes = port_.read(at, n);
    for (size_t off : find_ids(bytes))
      if (off < kScanChunk) found.push_back(at + off);
  }
  port_.end();
  const std::string range = fmt::format("RAM 0x{:08x}..0x{:08x}", r.start, r.start + r.length);
  if (found.empty()) {
    where = "no \"SEGGER RTT\" ID in " + range;
    return std::nullopt;
  }
  if (found.size() > 1) {
    std::vector<std::string> at;
    for (auto a : found) at.push_back(fmt::format("0x{:08x}", a));
    fail(ErrorKind::usage, fmt::format("{} RTT control blocks in {} ({})", found.size(), range, fmt::join(at, ", ")),
         "pick one with --address, or pass the firmware's ELF with --elf");
  }
  placement_.address = found.front();
  return locate(where);
}

Reader::Poll Reader::poll(std::span<const uint8_t> input) {
  Poll result;
  port_.begin();
  try {
    auto bytes = port_.read(address_, block_bytes_);
    std::string why;
    auto block = parse_block(address_, bytes, placement_.ram, &why);
    if (block && block_size({static_cast<uint32_t>(block->up.size()), static_cast<uint32_t>(block->down.size())}) != block_bytes_) {
      block_bytes_ = block_size({static_cast<uint32_t>(block->up.size()), static_cast<uint32_t>(block->down.size())});
      block.reset();
      why = "its buffer counts changed";
    }
    if (!block) {
      port_.end();
      result.lost = fmt::format("RTT control block at 0x{:08x}: {}", address_, why);
      return result;
    }
    if (channel_ >= block->up.size())
      fail(ErrorKind::usage, fmt::format("the target has {} RTT up-buffer(s); there is no channel {}", block->up.size(), channel_));
    const Buffer& up = block->up[channel_];
    result.buffer_size = up.size;
    const auto pending = pending_up(up);
    for (const auto& piece : pending.pieces) {
      auto data = port_.read(piece.address, piece.length);
      result.data.append(data.begin(), data.end());
    }
    if (pending.bytes) store32(port_, up.descriptor + kReadOffsetField, pending.new_read_offset);
    if (!input.empty() && !block->down.empty()) {
      const Buffer& down = block->down[0];
      const auto place = place_down(down, static_cast<uint32_t>(input.size()));
      size_t from = 0;
      for (const auto& piece : place.pieces) {
        port_.write(piece.address, input.subspan(from, piece.length));
        from += piece.length;
      }
      if (place.bytes) store32(port_, down.descriptor + kWriteOffsetField, place.new_write_offset);
      result.sent = place.bytes;
    }
  } catch (...) {
    port_.end();
    throw;
  }
  port_.end();
  return result;
}

PollRate::PollRate(std::chrono::milliseconds fastest, std::chrono::milliseconds slowest)
    : fastest_(fastest), slowest_(slowest), interval_(std::chrono::milliseconds(10)) {}

void PollRate::after(uint32_t bytes, uint32_t buffer_size) {
  using std::chrono::milliseconds;
  if (buffer_size && bytes * 4 >= buffer_size) {  // a quarter full or more: catch up
    interval_ = std::max(fastest_, interval_ / 2);
  } else if (bytes == 0) {
    interval_ = std::min(slowest_, interval_ + milliseconds(std::max<int64_t>(1, interval_.count() / 4)));
  }
}

}  // namespace omv::debug::rtt
