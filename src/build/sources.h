#pragma once
// Getting the firmware source: `omv clone` (the seed's fast shallow path, --full, --board) and
// `omv submodules TARGET` (only what one board needs).
#include <filesystem>
#include <string>

#include "boards/checkout.h"
#include "core/events.h"

namespace omv::build {

inline constexpr const char* default_repository = "https://github.com/openmv/openmv.git";

struct CloneOptions {
  std::string url = default_repository;
  std::filesystem::path dir = "openmv";
  bool full = false;      // git clone --recursive
  std::string board;      // only this board's submodules
  bool json = false;      // keep stdout for JSON lines
};

void clone_checkout(const CloneOptions& options, Reporter& reporter);

// lib/micropython (shallow) when it is not there yet, then the MicroPython port's `submodules`
// target for the board, as the firmware Makefile's `submodules` goal does.
void fetch_board_submodules(const boards::Checkout& checkout, const boards::CheckoutBoard& board, Reporter& reporter,
                            bool json);

}  // namespace omv::build
