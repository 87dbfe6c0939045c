#pragma once
// Which board and mode a USB VID:PID belongs to, from the board data alone. Several boards
// share some IDs (every STM32 camera's ST ROM is 0483:DF11, old firmware used 1209:ABD1), so
// an ID maps to a list of (board, mode) candidates.
#include <optional>
#include <string>
#include <vector>

#include "boards/board_db.h"
#include "core/numbers.h"

namespace omv::discovery {

// What a camera in a given mode can do for omv.
enum class ModeKind {
  running,      // its firmware runs (app, legacy_app, app_touch...): reset it into its bootloader
  bootloader,   // the board's own bootloader (OpenMV DFU, Arduino DFU, SAM-BA, BOOTSEL)
  rom,          // the chip's ROM loader (ST system bootloader, NXP SDP)
  flashloader,  // a RAM loader started from the ROM (NXP MCU bootloader)
  isp,          // a vendor ISP adapter (Alif SE-UART)
};
const char* to_string(ModeKind kind);
ModeKind mode_kind(const std::string& mode);

struct Candidate {
  const boards::Board* board = nullptr;
  std::string mode;  // the key in the board's "usb" table
  ModeKind kind = ModeKind::running;
};

class IdentityTable {
 public:
  explicit IdentityTable(const boards::BoardDb& db);
  // Every (board, mode) that uses this ID; empty when omv does not know it.
  std::vector<Candidate> lookup(UsbId id) const;
  // Every distinct ID in the board data, sorted.
  std::vector<UsbId> ids() const;

 private:
  struct Entry {
    UsbId id;
    Candidate candidate;
  };
  std::vector<Entry> entries_;
};

// Every STM32's system bootloader is 0483:DF11. The STM32N6 boot ROM and ST's OpenBootloader
// name the chip in their product string ("... @Device ID /0x486, ..."; boards record it as
// loader.rom_device_id) and the OpenBootloader says what it is, so the product string keeps only
// the boards and the mode ("rom" or "openbl") it fits. A device that fits none keeps them all.
std::vector<Candidate> refine_by_product(std::vector<Candidate> candidates, const std::string& product);

// The modes `omv flash` talks to for this board: its "bootloader*" modes, or, for boards
// flashed through the ROM (NXP), every loader mode that is not an ISP adapter.
std::vector<std::string> flash_modes(const boards::Board& board);

}  // namespace omv::discovery
