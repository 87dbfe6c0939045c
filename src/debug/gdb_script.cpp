#include "debug/gdb_script.h"

#include <fmt/format.h>

namespace omv::debug {

std::string gdb_quote(const std::string& text) {
  bool plain = !text.empty() && text.find_first_of(" \t\"'\\") == std::string::npos;
  if (plain) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

std::string gdb_setup_script(const GdbSetup& s) {
  std::string out = fmt::format("# Written by omv debug: connects to the {} GDB server on {}:{}.\n",
                                to_string(s.server), s.host, s.port);
  if (s.batch) out += "set pagination off\nset confirm off\n";
  for (const auto& [from, to] : s.substitute_paths)
    out += fmt::format("set substitute-path {} {}\n", gdb_quote(from), gdb_quote(to));
  out += "set remotetimeout 20\n";
  out += fmt::format("target remote {}:{}\n", s.host, s.port);
  if (!s.attach) {
    switch (s.server) {
      case ServerKind::qemu: break;  // QEMU waits at the reset vector (-S)
      case ServerKind::stlink: break;  // the server resets and halts the core on connect
      case ServerKind::jlink:
        out += "monitor halt\nmonitor reset\nmaintenance flush register-cache\nframe\n";
        break;
    }
    if (s.stop_at_main && !s.batch) out += "tbreak main\ncontinue\n";
  }
  return out;
}

std::vector<std::string> gdb_command(const std::filesystem::path& gdb, const std::filesystem::path& elf,
                                     const std::filesystem::path& setup_script, const std::filesystem::path& batch_file) {
  std::vector<std::string> argv = {gdb.string(), "-q"};
  if (!batch_file.empty()) {
    argv.push_back("-nx");
    argv.push_back("-batch");
  }
  argv.push_back("-x");
  argv.push_back(setup_script.string());
  if (!batch_file.empty()) {
    argv.push_back("-x");
    argv.push_back(batch_file.string());
  }
  argv.push_back(elf.string());
  return argv;
}

}  // namespace omv::debug
