#pragma once
// Getting a camera into the bootloader omv flashes it through. A camera already there is used
// at once; a camera running its firmware is told to reset into it (OpenMV Protocol SYS_BOOT or
// the legacy USB-debug command over its serial port, the 1200-baud touch, or the RP2040 reset
// interface), then omv waits, woken by device events and bounded by a deadline, for the same
// physical camera (same serial number, else same USB socket) to appear in bootloader mode.
#include <chrono>
#include <string>

#include "boards/board.h"
#include "core/events.h"
#include "discovery/device.h"
#include "discovery/sources.h"
#include "protocol/openmv/reset.h"

namespace omv::discovery {

struct BootloaderOptions {
  std::string serial;                                  // --serial
  std::chrono::milliseconds wait{0};                   // 0: the board's loader "bootloader_wait_ms", else 10 s
  protocol::openmv::ResetTimeouts reset;
};

struct BootloaderResult {
  Device device;             // the camera in one of the board's flash modes
  bool entered = false;      // false: it was already there
  std::string method;        // "SYS_BOOT over /dev/ttyACM0", "1200-baud touch on ...", ...
  bool forced = true;        // false: the bootloader leaves for the firmware after its DFU window
  std::chrono::milliseconds reset_to_appearance{0};
  nlohmann::json details;    // versions the camera reported, protocol spoken
};

// `camera` in any usable mode (see select.h).
BootloaderResult enter_bootloader(const boards::Board& board, const Device& camera, const Sources& sources,
                                  const IdentityTable& table, const BootloaderOptions& options, Reporter& reporter);

// Scans, selects the one camera (--serial), and enters its bootloader: the hook `omv flash` and
// `omv erase-fs` call before they talk to the bootloader.
BootloaderResult find_or_enter_bootloader(const boards::Board& board, const Sources& sources, const IdentityTable& table,
                                          const BootloaderOptions& options, Reporter& reporter);

// For the flash path once it found no camera in the wanted mode: when exactly one camera of this
// board (with this serial, if given) runs its firmware, resets it and waits for it in its
// bootloader, then returns true. False when no camera of the board is running.
bool enter_running_camera(const boards::Board& board, const Sources& sources, const IdentityTable& table,
                          const BootloaderOptions& options, Reporter& reporter);

nlohmann::json to_json(const BootloaderResult& result);

}  // namespace omv::discovery
