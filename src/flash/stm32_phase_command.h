#pragma once
// `omv recover` for a board whose ROM speaks ST's phase protocol (the N6): the plan, --dry-run,
// the native walk, and --with-cubeprogrammer (the seed's STM32_Programmer_CLI line).
#include <chrono>
#include <string>

#include "boards/board.h"
#include "core/events.h"
#include "flash/stm32_phase_plan.h"

namespace omv::flash {

struct PhaseRecoveryOptions {
  PhasePlanInputs inputs;
  std::string sim;
  std::string serial;
  std::string sdk_version;   // for the SDK's STM32_Programmer_CLI
  std::chrono::milliseconds wait{0};
  bool dry_run = false;
  bool with_cubeprogrammer = false;
};

void recover_phase_command(const boards::Board& board, const PhaseRecoveryOptions& options, Reporter& reporter);

// The seed's command: STM32_Programmer_CLI -c port=USB1 -d <layout>. When --bootloader replaces
// the layout's NOR file (or the layout is built from --openbl/--extfl), the files are copied
// into a scratch folder with a FlashLayout.tsv naming them, as OpenMV IDE does.
void run_cubeprogrammer(const PhasePlan& plan, const PhaseRecoveryOptions& options, Reporter& reporter);

}  // namespace omv::flash
