#pragma once
// omv flash TARGET --watch: the command-line side of watch mode (discovery/watch.h): Ctrl-C,
// the live table, and the session's summary and exit code.
#include <cstddef>

#include "boards/board.h"
#include "cli/command.h"
#include "discovery/fleet.h"

namespace omv::cli {

struct WatchCliOptions {
  size_t max = 0;
  bool again = false;
};

// Returns when --max cameras are done or after Ctrl-C; throws Error{partial} when any camera
// failed and Error{interrupted} when Ctrl-C came before any camera was done.
void run_watch(Context& ctx, const boards::Board& board, const discovery::FleetJob& job, const WatchCliOptions& options);

}  // namespace omv::cli
