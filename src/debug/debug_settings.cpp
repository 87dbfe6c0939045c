#include "debug/debug_settings.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/text.h"

namespace omv::debug {

DebugSettings debug_settings(const boards::Board& board, const boards::Checkout* checkout,
                             const std::string& server_override) {
  if (!board.supported)
    fail(ErrorKind::unsupported, fmt::format("{} is not supported: {}", board.target, board.unsupported_reason));
  DebugSettings s;
  s.server = board.debug.server;
  s.elf = board.debug.elf;
  s.external_loader = board.debug.stlink_external_loader;
  s.source = "board data";
  const boards::CheckoutBoard* cb = checkout ? checkout->board(board.target) : nullptr;
  if (cb) {
    if (const std::string* v = cb->var("OMV_DEBUG_ELF"); v && !trim(*v).empty()) s.elf = std::string(trim(*v)) + ".elf";
    if (const std::string* v = cb->var("OMV_PROG_STLDR"); v && !trim(*v).empty()) s.external_loader = std::string(trim(*v));
    if (const std::string* v = cb->var("DEBUGGER"); v && !trim(*v).empty() && server_override.empty()) {
      std::string debugger = to_lower(trim(*v));
      if (debugger == "none")
        fail(ErrorKind::unsupported,
             fmt::format("{} does not support debugging: {} sets DEBUGGER=NONE", board.target, cb->config_file.string()),
             "pass --server jlink|stlink|qemu to try anyway");
      if (debugger == "jlink" || debugger == "stlink" || debugger == "qemu") {
        s.server = debugger;
        s.source = cb->config_file.string();
      }
    }
  }
  if (!server_override.empty()) {
    s.server = server_override;
    s.source = "--server";
  }
  if (s.server == "none")
    fail(ErrorKind::unsupported, fmt::format("{} does not support debugging (no debug server in its board data)", board.target));
  return s;
}

}  // namespace omv::debug
