#pragma once
// boards/<TARGET>/romfs_config.json, as OpenMV's tools/mkromfs.py reads it: an object keyed by
// partition index ("0", "1"), each {"size": "0x...", "entries": [{type, path, alignment,
// enabled, optimize, profile, stages}]}. Paths may use {TOP} and {BUILD} and globs. Entries of
// type "haar" need haar2c, models with "optimize" need Vela and with "profile" need ST Edge AI:
// omv cannot convert those and names them instead.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "image/romfs_builder.h"

namespace omv::image {

struct RomfsConfigEntry {
  size_t index = 0;         // position in the partition's "entries"
  std::string type;         // "tflite", "haar", "data", "txt", ...
  std::string path;         // as written, before {TOP}/{BUILD} and globs
  uint64_t alignment = 4;
  bool enabled = true;
  std::string needs;        // "vela", "stedgeai", "haar2c" or "" (copied as it is)
};

struct RomfsPartitionConfig {
  std::string key;          // "0", "1"
  uint64_t size = 0;
  std::vector<RomfsConfigEntry> entries;
};

struct RomfsConfig {
  std::string file;
  std::vector<RomfsPartitionConfig> partitions;  // in file order

  const RomfsPartitionConfig* partition(const std::string& key) const;
};

RomfsConfig parse_romfs_config(std::string_view text, const std::string& file);
RomfsConfig read_romfs_config(const std::filesystem::path& path);

struct RomfsResolveOptions {
  std::filesystem::path top_dir;    // {TOP}
  std::filesystem::path build_dir;  // {BUILD}
  bool raw_models = false;          // copy models needing Vela/ST Edge AI as they are
};

struct Unconvertible {
  std::string entry;  // "entry 3 (tflite {TOP}/...)"
  std::string needs;
};

struct ResolvedRomfs {
  std::vector<RomfsBuildEntry> files;  // flat, in mkromfs order, sizes filled in
  std::vector<Unconvertible> unconvertible;
};

// Expands paths and globs, adds a model's labels file (<model>.txt) after it, stats sizes.
ResolvedRomfs resolve_romfs_partition(const RomfsConfig& config, const RomfsPartitionConfig& partition,
                                      const RomfsResolveOptions& options);

}  // namespace omv::image
