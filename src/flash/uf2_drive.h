#pragma once
// Flashing by copying a UF2 file onto a mounted UF2 bootloader drive (the RP2040's RPI-RP2 in
// BOOTSEL mode): the way that needs no USB access rights, only the mounted folder. The folder is
// checked first (its INFO_UF2.TXT must name the board's drive) and the images are written as one
// UF2 of the board's family.
#include <filesystem>
#include <string>
#include <vector>

#include "boards/board.h"
#include "core/events.h"
#include "flash/plan.h"

namespace omv::flash {

struct Uf2DriveInfo {
  std::string banner;    // "UF2 Bootloader v3.0"
  std::string model;     // "Raspberry Pi RP2"
  std::string board_id;  // "RPI-RP2"
};

// INFO_UF2.TXT of `dir` parsed; Error{refused} when it is missing or not a UF2 drive's.
Uf2DriveInfo read_uf2_drive(const std::filesystem::path& dir);

struct Uf2CopyResult {
  std::filesystem::path file;
  uint64_t bytes = 0;    // size of the UF2 written
  uint64_t blocks = 0;
};

// Refuses (nothing written) a folder that is not the board's drive (loader.uf2_board_id,
// "RPI-RP2"), a board without loader.uf2_family, and images outside the flash.
Uf2CopyResult copy_to_uf2_drive(const boards::Board& board, const std::vector<Image>& images,
                                const std::filesystem::path& dir, Reporter& reporter);

}  // namespace omv::flash
