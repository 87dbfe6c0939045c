#pragma once
// Bringing back an RT1062 whose secure bootloader is gone, over the chip's serial-download ROM
// (SBL jumper fitted: 1FC9:0135):
//   stage the RAM flashloader (SDP write-file + jump-address) -> configure FlexSPI -> write the
//   flash configuration block -> write the secure bootloader and the firmware -> burn the boot
//   fuse (irreversible, only with burn_efuse) -> reset.
// Every number comes from the board data. Each region is read back first and left alone when it
// already holds the right bytes, so a recovery that stopped half-way is resumed (from the ROM, or
// from a flashloader that is still running) without redoing what is done. The fuse is read
// before anything is written: when it is not burned yet and burn_efuse is off, nothing is
// written at all and the refusal says exactly what would be burned.
#include <nlohmann/json.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "boards/board.h"
#include "core/events.h"
#include "transport/hid.h"

namespace omv::flash {

struct RecoveryImage {
  std::string name;  // file name, for messages
  std::vector<uint8_t> bytes;
};

struct NxpRecoveryRequest {
  NxpRecoveryRequest(const boards::Board& b, transport::HidBus& bus, Reporter r) : board(b), hid(bus), reporter(std::move(r)) {}
  const boards::Board& board;
  transport::HidBus& hid;
  Reporter reporter;
  std::string serial;
  RecoveryImage flashloader;              // the RAM flashloader (sdphost_flash_loader.bin)
  RecoveryImage bootloader;               // the secure bootloader (blhost_flash_loader.bin)
  std::optional<RecoveryImage> firmware;  // firmware.bin, written after the bootloader
  bool burn_efuse = false;
  bool reset = true;
  std::chrono::milliseconds wait{0};      // for the ROM or a running flashloader to appear
};

// Checks the images against the board before any device is touched: the flashloader must be an
// i.MX RT image (IVT at its start), the bootloader and firmware must fit their partitions.
void check_recovery_images(const NxpRecoveryRequest& request);

// Runs the recovery; returns what was done ({"fcb": "written"|"kept", "bootloader": ...}).
nlohmann::json recover_nxp(NxpRecoveryRequest& request);

// What `omv recover` passes for an NXP board: file paths as given on the command line.
struct NxpRecoveryOptions {
  std::string flashloader;  // --flashloader
  std::string bootloader;   // --sbl
  std::string firmware;     // --firmware, or the checkout's build/TARGET/bin/firmware.bin (optional)
  std::string sim;          // --sim
  std::string serial;
  std::chrono::milliseconds wait{0};
  bool burn_efuse = false;
  bool reset = true;
  bool dry_run = false;
};

// Loads the files (saying where OpenMV IDE keeps the ones that are missing), checks them, opens
// the HID bus and recovers. Reports the result event itself.
void recover_nxp_command(const boards::Board& board, const NxpRecoveryOptions& options, Reporter& reporter);

}  // namespace omv::flash
