#include "debug/server_command.h"

#include <fmt/format.h>

#include "core/numbers.h"

namespace omv::debug {

const char* to_string(ServerKind kind) {
  switch (kind) {
    case ServerKind::jlink: return "jlink";
    case ServerKind::stlink: return "stlink";
    case ServerKind::qemu: return "qemu";
  }
  return "?";
}

std::vector<std::string> jlink_command(const JLinkParams& p) {
  std::vector<std::string> argv = {p.exe.string(),
                                   "-select", "USB",
                                   "-device", p.device,
                                   "-endian", "little",
                                   "-if", "SWD",
                                   "-speed", "auto",
                                   "-port", std::to_string(p.port),
                                   "-swoport", std::to_string(p.port + 1),
                                   "-telnetport", std::to_string(p.port + 2),
                                   "-LocalhostOnly",
                                   "-nogui",
                                   "-singlerun"};
  if (p.rtt) {
    argv.push_back("-rtttelnetport");
    argv.push_back(std::to_string(p.port + 3));
  }
  if (p.attach) {
    argv.push_back("-nohalt");
    argv.push_back("-noir");
  } else {
    argv.push_back("-halt");
  }
  return argv;
}

std::vector<std::string> stlink_command(const StlinkParams& p) {
  std::vector<std::string> argv = {p.exe.string(),
                                   "--stm32cubeprogrammer-path", p.cubeprogrammer_bin.string(),
                                   "--port-number", std::to_string(p.port),
                                   "--swd",
                                   "--apid", std::to_string(p.access_port),
                                   "--halt"};
  argv.push_back(p.attach ? "--attach" : "--initialize-reset");
  if (!p.external_loader.empty()) {
    argv.push_back("--extload");
    argv.push_back(p.external_loader.string());
  }
  return argv;
}

std::vector<std::string> qemu_command(const QemuParams& p) {
  std::vector<std::string> argv = {p.exe.string(), "-M", p.machine, "-nographic", "-monitor", "none",
                                   "-semihosting-config", "enable=on,target=native"};
  if (!p.attach) argv.push_back("-S");
  argv.push_back("-gdb");
  argv.push_back(fmt::format("tcp:127.0.0.1:{}", p.port));
  argv.push_back("-serial");
  argv.push_back(p.uart_log.empty() ? std::string("null") : "file:" + p.uart_log.string());
  for (const auto& image : p.images) {
    argv.push_back("-device");
    // QEMU's option syntax escapes a comma in a value by doubling it.
    std::string file;
    for (char c : image.file.string()) file += c == ',' ? std::string(",,") : std::string(1, c);
    argv.push_back(fmt::format("loader,file={},addr={},force-raw=on", file, hex32(image.address)));
  }
  if (!p.kernel.empty()) {
    argv.push_back("-kernel");
    argv.push_back(p.kernel.string());
  }
  return argv;
}

std::string shell_join(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out += ' ';
    bool plain = !a.empty() && a.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                                   "-_./:=,+@%") == std::string::npos;
    if (plain) {
      out += a;
      continue;
    }
    out += '\'';
    for (char c : a) {
      if (c == '\'') out += "'\\''";
      else out += c;
    }
    out += '\'';
  }
  return out;
}

}  // namespace omv::debug
