#pragma once
// One `omv debug` session: pick the board's GDB server, check the ELF (debug build? sources
// here? the same bytes as on the camera?), start the server on a free port, wait until it
// listens, run gdb on the ELF (interactive, a batch file, or not at all for an IDE), and stop
// everything at the end, on Ctrl-C included.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "boards/board.h"
#include "boards/checkout.h"
#include "core/events.h"

namespace omv::debug {

struct DebugRequest {
  std::string server;                      // jlink | stlink | qemu; empty: the board's
  std::optional<bool> attach;              // --attach / --launch; empty: the board's default
  std::optional<uint16_t> port;            // --port: exactly this one (fails if taken)
  std::string gdb;                         // --gdb PATH
  bool no_gdb = false;                     // leave the server running for an IDE
  std::filesystem::path batch;             // gdb command file (-batch)
  std::filesystem::path elf;               // --elf: instead of the checkout's build
  std::filesystem::path sim;               // sim bus of the virtual cameras
  std::string serial;                      // which virtual camera
  int timeout_seconds = 120;               // batch sessions end after this long
  bool json = false;                       // gdb's stdout goes to stderr (stdout is JSON lines)
  // --rtt: `omv rtt` (this binary, `self`) reads the J-Link server's RTT port into a log file.
  bool rtt = false;
  std::filesystem::path self;
};

// Returns gdb's exit status (0 for --no-gdb stopped by Ctrl-C). Throws omv::Error.
int run_debug_session(const boards::Board& board, const boards::Checkout* checkout, const DebugRequest& request,
                      Reporter& reporter);

}  // namespace omv::debug
