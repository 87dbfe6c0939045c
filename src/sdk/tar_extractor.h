#pragma once
// Extracts an xz-compressed tar stream (libarchive) from a ByteQueue into a folder, stripping the
// single top-level folder and refusing every entry that could land outside the folder.
#include <atomic>
#include <cstdint>
#include <filesystem>
#include <string>

#include "sdk/byte_queue.h"

namespace omv::sdk {

struct ExtractStats {
  uint64_t files = 0;
  uint64_t dirs = 0;
  uint64_t links = 0;
  uint64_t bytes = 0;  // uncompressed bytes written
  std::string top;     // the tarball's top-level folder
};

// Throws omv::Error: refused (unsafe entry), bad_file (not an xz tar, truncated), io (disk full,
// write errors), interrupted (input cut off). `source` names the tarball in messages.
ExtractStats extract_tar_xz(ByteQueue& input, const std::filesystem::path& dest, const std::string& source);

// After extraction: every symbolic link under `root`, resolved on disk, stays under `root`
// (catches chains of links the per-entry check cannot see). Throws Error{refused}.
void check_links_stay_inside(const std::filesystem::path& root, const std::string& source);

}  // namespace omv::sdk
