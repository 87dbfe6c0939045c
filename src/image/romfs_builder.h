#pragma once
// Writes ROMFS images the way OpenMV's tools/mkromfs.py does: the filesystem payload starts at
// offset 16 (header padded with 0x80), every file record header is padded to 8 bytes, the name
// follows as varuint length + bytes, and the data record is padded so the file's bytes start at
// an image offset that is a multiple of the entry's alignment. Directories (which mkromfs never
// writes) use the same 8-byte record header.
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

namespace omv::image {

struct RomfsBuildEntry {
  std::string name;                 // one path component
  bool directory = false;
  std::filesystem::path source;     // files: copied from here ...
  std::vector<uint8_t> contents;    // ... or these bytes, when source is empty
  uint64_t size = 0;                // files: byte count (the source's size when planned)
  uint64_t alignment = 4;           // files: of the data from the image start; 0 or 1 = none
  std::string origin;               // for messages: where the entry came from
  std::vector<RomfsBuildEntry> children;  // directories
};

struct RomfsPlanEntry {
  std::string path;
  bool directory = false;
  uint64_t record_offset = 0;
  uint64_t record_size = 0;  // header + name + data (files) or nested records (directories)
  uint64_t data_offset = 0;
  uint64_t size = 0;
  uint64_t alignment = 0;
  std::string origin;
};

struct RomfsPlan {
  uint64_t image_size = 0;
  std::vector<RomfsPlanEntry> entries;
};

// Offsets and the total size, without reading any file. Refuses (Error{usage}) alignments that
// are not powers of two and names with '/' or NUL, naming the entry.
RomfsPlan plan_romfs(const std::vector<RomfsBuildEntry>& entries);

// Writes the planned image to `sink` in order. A source whose size changed since it was planned
// is an Error{io}.
using ByteSink = std::function<void(std::span<const uint8_t>)>;
void write_romfs(const std::vector<RomfsBuildEntry>& entries, const RomfsPlan& plan, const ByteSink& sink);

// In memory (tests, small images).
std::vector<uint8_t> build_romfs(const std::vector<RomfsBuildEntry>& entries);

}  // namespace omv::image
