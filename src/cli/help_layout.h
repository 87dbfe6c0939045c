#pragma once
// How `omv help` reads: commands grouped by task, each command's examples under its own help,
// and the first commands a newcomer runs under the overview.
#include "cli/command.h"

namespace omv::cli {

// After every command's setup ran on `root`: puts each command in its group and adds the footers.
void arrange_help(CLI::App& root, const std::vector<Command>& commands);

}  // namespace omv::cli
