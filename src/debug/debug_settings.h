#pragma once
// How a board is debugged: its board data, overridden by what the firmware checkout's
// board_config.mk says (DEBUGGER, OMV_DEBUG_ELF, OMV_PROG_STLDR), overridden by the command line.
#include <string>

#include "boards/board.h"
#include "boards/checkout.h"

namespace omv::debug {

struct DebugSettings {
  std::string server;           // jlink | stlink | qemu
  std::string elf;              // file name in build/<TARGET>/bin
  std::string external_loader;  // ST-LINK external loader file name, if any
  std::string source;           // where the server choice came from, for messages
};

// Throws Error{unsupported} for boards that cannot be debugged (unsupported boards, DEBUGGER=NONE
// without --server, debug.server none).
DebugSettings debug_settings(const boards::Board& board, const boards::Checkout* checkout,
                             const std::string& server_override);

}  // namespace omv::debug
