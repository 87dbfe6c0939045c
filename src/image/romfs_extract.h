#pragma once
// Extracting a ROMFS image into a folder. Every name is checked before anything is written: a
// name that is empty, "." or "..", or holds '/' or NUL would leave the folder, so the whole
// extraction is refused (Error{refused}) naming the entry. Files are created through the
// directory descriptors the extraction itself made, never following a symbolic link.
#include <cstdint>
#include <filesystem>

#include "image/reader.h"
#include "image/romfs.h"

namespace omv::image {

struct ExtractCounts {
  uint64_t files = 0;
  uint64_t directories = 0;
  uint64_t bytes = 0;
};

// Refuses the first unsafe name (nothing written). Exposed for `romfs ls` warnings.
void check_romfs_names(const Romfs& fs, const std::string& file, const std::filesystem::path& dir);

ExtractCounts extract_romfs(const ByteView& view, const Romfs& fs, const std::filesystem::path& dir);

}  // namespace omv::image
