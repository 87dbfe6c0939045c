#pragma once
// Which images a flash/verify command writes, from the command line and the board data:
// the board's build files in build/<TARGET>/bin (firmware.bin → FIRMWARE, romfs0.img → ROMFS0,
// the AE3's four images, the Arduino addresses), --firmware/--romfs/--image PART=FILE, and the
// zero blocks of --erase-fs. Files may be raw binaries or anything omv::image loads with
// addresses (ELF, DfuSe, UF2): those land where their addresses say.
#include <filesystem>
#include <string>
#include <vector>

#include "boards/board.h"
#include "core/events.h"
#include "flash/plan.h"

namespace omv::flash {

struct ImageOptions {
  std::string firmware;              // --firmware F
  std::string romfs;                 // --romfs R
  std::vector<std::string> images;   // --image PART=FILE
  std::filesystem::path bin_dir;     // build/<TARGET>/bin (from --build-dir or the checkout); may be empty
  bool erase_fs = false;
};

// Loads a file for `part` (raw data at `address`, or by its own addresses).
Image load_image_for(const boards::Board& board, const boards::Partition& part, uint64_t address,
                     const std::filesystem::path& file);

// The images named by the options; with none named, the board's default build files in bin_dir.
std::vector<Image> collect_images(const boards::Board& board, const ImageOptions& options, Reporter& reporter);

// The board's filesystem erase as images (zero blocks, or erase-only regions).
std::vector<Image> erase_fs_images(const boards::Board& board);

}  // namespace omv::flash
