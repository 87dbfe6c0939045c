#pragma once
// The commands gdb runs before the user gets it: source paths, the connection to the server,
// and where the core stops (the reset handler, or main for an interactive launch).
#include <cstdint>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "debug/server_command.h"

namespace omv::debug {

struct GdbSetup {
  std::string host = "127.0.0.1";
  uint16_t port = 0;
  ServerKind server = ServerKind::qemu;
  bool attach = false;        // connect to the running core without a reset
  bool batch = false;         // a script follows: no pagination, no questions, stay at reset
  bool stop_at_main = false;  // run to main after the reset (interactive launches)
  std::vector<std::pair<std::string, std::string>> substitute_paths;
};

std::string gdb_setup_script(const GdbSetup& setup);

// gdb [-q] [-nx -batch] -x SETUP [-x BATCH] ELF
std::vector<std::string> gdb_command(const std::filesystem::path& gdb, const std::filesystem::path& elf,
                                     const std::filesystem::path& setup_script, const std::filesystem::path& batch_file);

// A path quoted for gdb's command language.
std::string gdb_quote(const std::string& text);

}  // namespace omv::debug
