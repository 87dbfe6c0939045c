#pragma once
// Which modes of a bootloader type have a virtual camera, whatever serves them (USB, HID or a
// serial port), and the one a camera starts in when nobody names a mode.
#include <string>
#include <vector>

#include "boards/board.h"

namespace omv::sim {

// Every mode with a registered model for this bootloader type, USB and HID ones first.
std::vector<std::string> simulated_modes(const std::string& bootloader_type);
// The modes of this board: those of its type, less the ones only some boards of the type have
// (a ROM loader, ST's OpenBootloader, a Secure Enclave ISP port), which are offered where the
// board's data names a USB identity for them.
std::vector<std::string> simulated_modes(const boards::Board& board);
// The board's own bootloader: "bootloader", or "sbl" where the chip's ROM boots a secure
// bootloader (the RT1062); "bootloader" when neither is simulated (the host then says so).
std::string default_mode(const std::string& bootloader_type);

}  // namespace omv::sim
