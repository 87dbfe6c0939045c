#pragma once
// MicroPython ROMFS images (romfs0.img): one record of kind 0x14A6B1 (bytes D2 CD 31) whose
// payload is a tree of records. A record is varuint kind, varuint length, payload; varuints are
// big-endian base-128 and may carry leading 0x80 bytes, which is how writers align payloads.
// Kinds: 1 padding, 2 verbatim data, 3 indirect data (size, offset into the payload),
// 4 directory (name + records), 5 file (name + records); unknown kinds are skipped.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "image/reader.h"

namespace omv::image {

constexpr uint64_t kRomfsKindFilesystem = 0x14A6B1;
constexpr uint64_t kRomfsKindPadding = 1;
constexpr uint64_t kRomfsKindData = 2;
constexpr uint64_t kRomfsKindIndirect = 3;
constexpr uint64_t kRomfsKindDirectory = 4;
constexpr uint64_t kRomfsKindFile = 5;
constexpr int kRomfsMaxDepth = 64;

size_t varuint_size(uint64_t value);
void append_varuint(std::vector<uint8_t>& out, uint64_t value);
// Decodes at `pos` (advanced past it); the varuint must end before `limit`.
uint64_t read_varuint(const ByteView& view, uint64_t& pos, uint64_t limit, std::string_view what);

struct RomfsEntry {
  std::string path;            // names joined with '/', raw bytes
  std::string name;            // the last component, raw bytes
  int depth = 0;               // 0 = top level
  bool directory = false;
  uint64_t record_offset = 0;  // of the file/directory record
  uint64_t data_offset = 0;    // files: where the bytes are in the image
  uint64_t size = 0;           // files: byte count
  bool indirect = false;       // data found through an indirect record
};

struct Romfs {
  uint64_t payload_offset = 0;  // after the header (16 in OpenMV images)
  uint64_t payload_size = 0;
  uint64_t trailing = 0;        // bytes in the file after the image (e.g. erased flash read back)
  std::vector<RomfsEntry> entries;  // depth-first, in record order
  std::vector<std::string> warnings;

  uint64_t image_size() const { return payload_offset + payload_size; }
};

bool looks_like_romfs(std::span<const uint8_t> bytes);
Romfs parse_romfs(const ByteView& view);
// The largest power of two that divides `offset` (the alignment the data has in the image).
uint64_t alignment_of(uint64_t offset);

}  // namespace omv::image
