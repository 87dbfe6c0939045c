#pragma once
// What a build left in build/<TARGET>/bin, with each file's size and what it is for.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "boards/board.h"

namespace omv::build {

struct OutputFile {
  std::string name;
  uint64_t size = 0;
  std::string purpose;
};

// Purposes come from the board data's `files` list first, then from the file's kind.
std::string purpose_of(const std::string& file, const boards::Board* board);
std::vector<OutputFile> list_outputs(const std::filesystem::path& bin_dir, const boards::Board* board);
// build/<TARGET>/bin (or build/bin, where the rp2 port copies its files).
std::filesystem::path bin_dir_of(const std::filesystem::path& checkout_root, const std::string& target);

}  // namespace omv::build
