#pragma once
// How ST's OpenBootloader reads the FlashLayout it receives in phase 0x00 (openbl_util.c,
// OPENBL_FlashLayout_Parse_Layout), with its quirks kept, because they decide what a host may
// send:
//  - the first 256 bytes of the block are skipped (reserved for a signature header);
//  - characters go into six column buffers; a TAB moves to the next column, so two TABs leave
//    an empty column; a buffer is only overwritten when its column gets a character, so an empty
//    column keeps the previous line's value;
//  - a line counts only when its LF arrives (a last line without LF is dropped);
//  - Id and Offset go through strtoul(…, 0): no digits at all is a parse error, so a '#Opt…'
//    header at the very start of the text (parsed as a line) fails on its Id;
//  - more than 15 lines is a parse error;
//  - a '#' right after an LF marks a line to skip, but ST's loop then stops advancing (it only
//    moves past characters of a partition line, a TAB or an LF) and never returns; so does a
//    character in a seventh column. The model calls both parse errors instead of hanging.
// A parse error leaves the device's partition table as it was (empty after reset).
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace omv::sim {

struct OpenblPartition {
  uint32_t id = 0;
  uint32_t offset = 0;
  std::string name;
};

struct OpenblLayoutResult {
  std::vector<OpenblPartition> partitions;
  std::string error;  // empty when parsed
  bool ok() const { return error.empty(); }
};

// `block` is the whole phase-0 download block (header included).
OpenblLayoutResult parse_openbl_layout(std::span<const uint8_t> block);

}  // namespace omv::sim
