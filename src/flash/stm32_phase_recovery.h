#pragma once
// Walks ST's DFU phase protocol on an STM32N6 held in its boot ROM (0483:DF11, boot switch set):
// the phases come from the device, never from a fixed script. ROM: GetPhase → FSBL (ST's
// OpenBootloader) → "send DETACH" → DETACH; the same serial comes back as the OpenBootloader:
// GetPhase → layout blob → loader → NOR lines → END. After each phase's download a second
// GetPhase (ST's "start" read) follows, as CubeProgrammer does; the OpenBootloader's counter only
// moves on every second read. The OpenBootloader reports no errors: a layout, loader or verify
// failure shows only as a phase the host did not expect, so the walk stops at the first phase
// that is not the next one of the plan and prints it with its address, writing nothing more.
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>

#include "boards/board.h"
#include "core/events.h"
#include "flash/stm32_phase_plan.h"
#include "transport/usb.h"

namespace omv::flash {

struct PhaseRecoveryRequest {
  PhaseRecoveryRequest(const boards::Board& b, transport::UsbBus& u, const PhasePlan& p, Reporter r)
      : board(b), bus(u), plan(p), reporter(std::move(r)) {}
  const boards::Board& board;
  transport::UsbBus& bus;
  const PhasePlan& plan;
  Reporter reporter;
  std::string serial;                         // --serial: which 0483:DF11 device
  std::chrono::milliseconds wait{0};          // for the ROM to appear
  std::chrono::milliseconds reenumeration{15000};  // DETACH → OpenBootloader on the bus
};

// Which 0483:DF11 device is this board's ROM or OpenBootloader: matched by the device ID in its
// product string; another STM32's system bootloader is refused naming the ID it reported.
transport::UsbDeviceInfo find_phase_device(PhaseRecoveryRequest& request);

// Runs the walk; returns {"stages": [...], "phases": [...], "bytes": N}.
nlohmann::json recover_with_phases(PhaseRecoveryRequest& request);

}  // namespace omv::flash
