#pragma once
// The SEGGER RTT control block as a 32-bit target holds it (SEGGER's documented layout; facts in
// the GDB RSP/RTT reference): a 16-byte ID ("SEGGER RTT" and six NULs), the up and down buffer
// counts, then one 24-byte descriptor per buffer (name pointer, buffer pointer, size, write
// offset, read offset, flags), up-buffers first. Everything here is pure: bytes the target sent
// in, what to read or write back out. The target's bytes are untrusted (a stale or half-made
// block, a reset mid-read): every check says what was wrong and where.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace omv::debug::rtt {

constexpr size_t kIdSize = 16;
constexpr size_t kHeaderSize = 24;      // ID + two counts
constexpr size_t kDescriptorSize = 24;
constexpr uint32_t kMaxBuffers = 16;    // more than any configuration uses; a bigger count is garbage
constexpr size_t kWriteOffsetField = 12, kReadOffsetField = 16;

struct Buffer {
  uint64_t descriptor = 0;  // where its descriptor sits in target memory
  uint32_t name = 0;
  uint32_t buffer = 0;
  uint32_t size = 0;
  uint32_t write_offset = 0;
  uint32_t read_offset = 0;
  uint32_t flags = 0;
};

struct ControlBlock {
  uint64_t address = 0;
  std::vector<Buffer> up, down;
};

// The ID as the target holds it.
std::span<const uint8_t> id_bytes();
bool starts_with_id(std::span<const uint8_t> bytes);
// Offsets of every full 16-byte ID in `window`.
std::vector<size_t> find_ids(std::span<const uint8_t> window);

// Bytes to read at `address` for the header: kHeaderSize. Returns the buffer counts, or why the
// header is not a control block.
struct Counts {
  uint32_t up = 0, down = 0;
};
std::optional<Counts> parse_header(std::span<const uint8_t> header, std::string* why = nullptr);
size_t block_size(const Counts& counts);

// A memory range buffers may lie in (the board's RAM).
struct Range {
  uint64_t start = 0, length = 0;
  bool contains(uint64_t address, uint64_t size) const {
    return address >= start && address - start <= length && size <= length - (address - start);
  }
};

// Parses a whole block (block_size bytes) read at `address`. nullopt with `why` when the ID is
// gone (a reset), a count is impossible, or a buffer's offsets or place are wrong.
std::optional<ControlBlock> parse_block(uint64_t address, std::span<const uint8_t> bytes,
                                        const std::vector<Range>& ram, std::string* why = nullptr);

// What to read of an up-buffer now: up to two pieces (a wrap splits the data), and the read
// offset to store once they are read.
struct Piece {
  uint64_t address = 0;
  uint32_t length = 0;
};
struct UpRead {
  std::vector<Piece> pieces;
  uint32_t bytes = 0;
  uint32_t new_read_offset = 0;
};
UpRead pending_up(const Buffer& up);

// Where to put `length` bytes into a down-buffer: pieces and the write offset to store after
// them. Takes what fits (one byte always stays free).
struct DownWrite {
  std::vector<Piece> pieces;
  uint32_t bytes = 0;
  uint32_t new_write_offset = 0;
};
DownWrite place_down(const Buffer& down, uint32_t length);

}  // namespace omv::debug::rtt
