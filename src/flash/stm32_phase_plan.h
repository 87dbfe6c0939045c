#pragma once
// What `omv recover OPENMV_N6` will send, worked out and checked before any device is touched:
// the FlashLayout (a FlashLayout.tsv, or the OpenMV layout built from --openbl/--extfl/
// --bootloader), each selected line's file, and the layout blob ST's OpenBootloader receives
// (a v1 header + the six-column TSV). Checks: the FSBL is a v2.3 image within the ROM's limit
// (magic, version, length, checksum); the external-flash loader fits its RAM and its function
// table points into it; each NOR line lies inside the board's NOR and fits before the next
// partition; the blob fits one 1024-byte transfer. Every limit comes from the board data.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "boards/board.h"
#include "image/flash_layout.h"
#include "image/stm32_header.h"

namespace omv::flash {

// The board data of an STM32 whose ROM speaks the phase protocol (loader.rom_protocol =
// stm32_dfu_phases): the N6's numbers.
struct PhaseBoardParams {
  uint32_t device_id = 0;          // "@Device ID /0x486"
  uint64_t fsbl_limit = 0;         // the ROM's download buffer: header + image
  uint32_t fsbl_address = 0;       // where that buffer is (the ROM's GetPhase address)
  uint32_t layout_address = 0;     // where OpenBL keeps the layout
  uint32_t loader_address = 0;     // the external-flash loader's RAM
  uint64_t loader_size = 0;
  const boards::Memory* nor = nullptr;  // the memory the loader writes
};
bool uses_phase_protocol(const boards::Board& board);
PhaseBoardParams phase_board_params(const boards::Board& board);  // Error{bad_board_data} if incomplete

struct PhaseImage {
  uint8_t phase = 0;
  std::string role;                  // "fsbl" (to the ROM), "loader" (to RAM), "nor" (to flash)
  std::filesystem::path file;
  std::vector<uint8_t> bytes;
  uint64_t target = 0;               // RAM address, or the offset in the NOR memory
  std::optional<image::Stm32Header> header;  // FSBL: the checked v2.3 header
};

struct PhasePlan {
  image::FlashLayout layout;
  std::vector<PhaseImage> images;    // selected lines, in file order
  std::vector<uint8_t> layout_blob;  // what phase 0 receives
  std::vector<std::string> warnings;

  const PhaseImage* image_for(uint8_t phase) const;
  nlohmann::json to_json() const;
};

struct PhasePlanInputs {
  std::filesystem::path layout;      // FlashLayout.tsv (its Binary column resolved beside it)
  std::filesystem::path bootloader;  // replaces the NOR line's file (as OpenMV IDE does) / builds the layout
  std::filesystem::path openbl;      // --openbl F.stm32
  std::filesystem::path extfl;       // --extfl F.bin
};

// The OpenMV N6 layout (OpenMV IDE's FlashLayout.tsv): FSBL 0x1 and loader 0x3 into RAM,
// bootloader.bin as 0x4 at nor0 offset 0.
std::string openmv_n6_layout(const std::string& openbl, const std::string& extfl, const std::string& bootloader);

// Reads and checks everything; Error{usage, bad_file, refused} naming the file and the field.
PhasePlan make_phase_plan(const boards::Board& board, const PhasePlanInputs& inputs);

}  // namespace omv::flash
