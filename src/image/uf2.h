#pragma once
// UF2 (Microsoft's USB flashing format): 512-byte blocks, each carrying up to 476 bytes for
// one address. RP2040 wants 256-byte payloads at 256-aligned addresses with the family ID
// 0xE48BFF56. Blocks of another family are ignored, so several families can share a file.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "image/reader.h"
#include "image/segment.h"

namespace omv::image {

constexpr size_t kUf2BlockSize = 512;
constexpr uint32_t kUf2Magic0 = 0x0A324655;
constexpr uint32_t kUf2Magic1 = 0x9E5D5157;
constexpr uint32_t kUf2MagicEnd = 0x0AB16F30;
constexpr uint32_t kUf2NotMainFlash = 0x00000001;
constexpr uint32_t kUf2FileContainer = 0x00001000;
constexpr uint32_t kUf2FamilyIdPresent = 0x00002000;
constexpr uint32_t kUf2FamilyRp2040 = 0xE48BFF56;

struct Uf2Block {
  uint64_t offset = 0;  // of the block in the file
  uint32_t flags = 0;
  uint32_t target = 0;
  uint32_t payload_size = 0;
  uint32_t block_no = 0;
  uint32_t num_blocks = 0;
  uint32_t family = 0;  // or file size, when FAMILY_ID_PRESENT is clear
  std::span<const uint8_t> payload;

  bool has_family() const { return (flags & kUf2FamilyIdPresent) != 0; }
};

struct Uf2File {
  std::vector<Uf2Block> blocks;
};

bool looks_like_uf2(std::span<const uint8_t> bytes);
// Every block checked: whole 512-byte blocks, three magics, payload <= 476, blockNo < numBlocks.
// The blocks' payloads point into `view`'s bytes.
Uf2File parse_uf2(const ByteView& view);

// A family by name ("rp2040", "rp2350-arm-s", "absolute", ...) or number ("0xE48BFF56").
std::optional<uint32_t> parse_uf2_family(const std::string& text);
std::string uf2_family_name(uint32_t family);  // "rp2040" or "0x12345678"

// What a reader of the file sees for one family: the address ranges, holes, and order problems.
struct Uf2Summary {
  std::map<uint32_t, size_t> families;  // family -> blocks (no-family blocks under 0)
  size_t blocks = 0;
  size_t not_main_flash = 0;
  size_t out_of_order = 0;         // blockNo not one more than the previous block's
  size_t duplicates = 0;           // same target address as an earlier block
  size_t num_blocks_changes = 0;   // numBlocks differs from the first block's
  std::optional<size_t> first_out_of_order;  // index of the first such block
  std::optional<size_t> first_duplicate;
  std::vector<Segment> ranges;     // coalesced data (the selected family, main flash only)
  std::vector<Gap> gaps;
};
Uf2Summary summarize_uf2(const Uf2File& file, std::optional<uint32_t> family);

// The data of one family as segments. With no family given the file must hold only one.
// Blocks for the same address must carry the same bytes; NOT_MAIN_FLASH blocks are skipped.
std::vector<Segment> uf2_segments(const ByteView& view, const Uf2File& file, std::optional<uint32_t> family);

// Blocks of 256 bytes at 256-aligned addresses covering every segment; bytes of a block that no
// segment covers are 0xFF (erased flash).
std::vector<uint8_t> build_uf2(std::vector<Segment> segments, uint32_t family);
// The same blocks streamed to `sink` one at a time (512 bytes each, in address order), so a
// large image is converted without holding the whole UF2 in memory. Returns the block count.
size_t write_uf2(std::vector<Segment> segments, uint32_t family,
                 const std::function<void(std::span<const uint8_t>)>& sink);

}  // namespace omv::image
