#include "debug/session.h"

#include <elf.h>
#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>

#include "core/error.h"
#include "core/numbers.h"
#include "core/text.h"
#include "debug/camera_image.h"
#include "debug/debug_settings.h"
#include "debug/dwarf_checks.h"
#include "debug/elf_file.h"
#include "debug/gdb_script.h"
#include "debug/ports.h"
#include "debug/process.h"
#include "debug/server_command.h"
#include "debug/tools.h"

namespace omv::debug {
namespace fs = std::filesystem;
namespace {

constexpr int kPortAttempts = 5;

ServerKind parse_server(const std::string& name) {
  if (name == "jlink") return ServerKind::jlink;
  if (name == "stlink") return ServerKind::stlink;
  return ServerKind::qemu;
}

uint16_t default_port(ServerKind kind) {
  switch (kind) {
    case ServerKind::jlink: return 2331;
    case ServerKind::stlink: return 61234;
    case ServerKind::qemu: return 3333;
  }
  return 3333;
}

// J-Link also opens SWO and telnet ports right after the GDB port, and its RTT port after those
// with --rtt.
int ports_needed(ServerKind kind, bool rtt) { return kind == ServerKind::jlink ? (rtt ? 4 : 3) : 1; }

fs::path resolve_elf(const boards::Board& board, const boards::Checkout* checkout, const DebugSettings& settings,
                     const DebugRequest& req) {
  if (!req.elf.empty()) return fs::absolute(req.elf);
  if (!checkout)
    fail(ErrorKind::usage, "no ELF to debug: not inside a firmware checkout and no --elf given",
         fmt::format("run inside the checkout (or pass --repo DIR) after building {} with DEBUG=1, or pass --elf FILE",
                     board.target));
  return checkout->root / "build" / board.target / "bin" / settings.elf;
}

fs::path run_dir(const boards::Board& board, const boards::Checkout* checkout) {
  fs::path dir = checkout ? checkout->root / "build" / board.target / "debug"
                          : fs::temp_directory_path() / fmt::format("omv-debug-{}-{}", board.target, getuid());
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) fail(ErrorKind::io, fmt::format("{}: cannot create: {}", dir.string(), ec.message()));
  return dir;
}

std::string display(const fs::path& p, const boards::Checkout* checkout) {
  if (checkout) {
    auto rel = p.lexically_relative(checkout->root);
    if (!rel.empty() && rel.native().rfind("..", 0) != 0) return rel.string();
  }
  return p.string();
}

std::string log_tail(const fs::path& log, size_t lines = 3) {
  std::ifstream in(log);
  std::vector<std::string> all;
  for (std::string line; std::getline(in, line);)
    if (!trim(line).empty()) all.push_back(line);
  if (all.size() > lines) all.erase(all.begin(), all.end() - static_cast<std::ptrdiff_t>(lines));
  return join(all, " / ");
}

std::string build_hint(const boards::Board& board) {
  return fmt::format("rebuild with DEBUG=1: omv build {0} --debug (or make TARGET={0} DEBUG=1)", board.target);
}

void check_build(const ElfInfo& elf, const fs::path& elf_path, const boards::Board& board, Reporter& r) {
  if (elf.machine != EM_ARM)
    fail(ErrorKind::bad_file, fmt::format("{}: not an Arm ELF (e_machine {})", elf_path.string(), elf.machine),
         "give the firmware ELF of this board");
  auto a = assess_build(elf);
  using V = BuildAssessment::Verdict;
  switch (a.verdict) {
    case V::no_dwarf:
      r.warn(fmt::format("{} has no DWARF debug information: gdb can show neither source lines nor variables; {}",
                         elf_path.string(), build_hint(board)),
             {{"check", "dwarf"}, {"verdict", "no_dwarf"}});
      break;
    case V::optimised:
      r.warn(fmt::format("{} is an optimised build ({} in the DW_AT_producer of {}; {} of {} compile units above -Og): "
                         "expect <optimized out> variables and jumpy stepping; {}",
                         elf_path.string(), a.level, a.unit.empty() ? "main's unit" : a.unit, a.optimised_units,
                         a.total_units, build_hint(board)),
             {{"check", "dwarf"}, {"verdict", "optimised"}, {"level", a.level}});
      break;
    case V::debug_build:
      r.info(fmt::format("ELF {}: debug build ({})", elf_path.string(), a.level),
             {{"check", "dwarf"}, {"verdict", "debug_build"}, {"level", a.level}});
      if (a.minimal_debug_info)
        r.warn(fmt::format("{} carries only line tables (-g1): no local variables; {}", elf_path.string(),
                           build_hint(board)));
      break;
    case V::unknown:
      r.info(fmt::format("ELF {}: its compiler did not record the optimisation level", elf_path.string()));
      break;
  }
}

void check_camera_bytes(const ElfInfo& elf, const VirtualCamera& camera, const boards::Board& board, const fs::path& sim,
                        Reporter& r) {
  auto cmp = compare_with_camera(elf, camera);
  std::string flash_hint = fmt::format("omv flash {} --sim {} --firmware build/{}/bin/firmware.bin", board.target,
                                       sim.string(), board.target);
  nlohmann::json data = {{"check", "camera_bytes"},    {"serial", camera.serial},         {"compared", cmp.compared},
                         {"differing", cmp.differing}, {"outside", cmp.outside},          {"erased", cmp.camera_erased}};
  if (cmp.compared == 0) {
    r.warn(fmt::format("none of the ELF's {} loadable bytes lie in virtual camera {}'s memories: the ELF is not for "
                       "this board's memory map",
                       cmp.outside, camera.serial),
           data);
  } else if (cmp.camera_erased) {
    r.warn(fmt::format("virtual camera {} is erased where the ELF loads (from {}): there is no firmware to debug; "
                       "flash it first: {}",
                       camera.serial, hex32(elf.segments.front().paddr), flash_hint),
           data);
  } else if (cmp.differing > 0) {
    data["first_difference"] = cmp.first_difference;
    r.warn(fmt::format("the ELF does not match what is on virtual camera {}: {} of {} bytes differ, the first at {}; "
                       "gdb would show sources that are not what runs. Flash this build ({}) or debug the flashed "
                       "build's ELF (--elf)",
                       camera.serial, cmp.differing, cmp.compared, hex32(cmp.first_difference), flash_hint),
           data);
  } else {
    r.info(fmt::format("the ELF matches the bytes on virtual camera {} ({} bytes compared)", camera.serial, cmp.compared),
           data);
  }
}

struct ServerSpec {
  ServerKind kind;
  std::vector<std::string> argv;
  uint16_t port = 0;
  fs::path log;
  fs::path uart_log;
};

// Waits for the server to listen on `port` (a LISTEN socket owned by its process group where
// the OS can tell the owner).
// Returns false if it exited first; throws on Ctrl-C and on timeout.
bool wait_until_listening(Child& server, uint16_t port, SignalWatch& signals, Millis limit, const std::string& name) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  for (;;) {
    if (platform::os::tcp_port_listening_in_group(port, server.pid())) return true;
    auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      server.stop();
      fail(ErrorKind::timeout, fmt::format("{} did not listen on port {} within {} s", name, port, limit.count() / 1000),
           "is the probe connected and the board powered? see the server log");
    }
    auto w = wait_for({&server}, &signals, std::min(left, Millis(10)));
    if (w.what == WaitResult::What::child_exited) return false;
    if (w.what == WaitResult::What::signal) {
      server.stop();
      fail(ErrorKind::interrupted, fmt::format("interrupted while waiting for {}", name));
    }
  }
}

std::string server_name(ServerKind kind) {
  switch (kind) {
    case ServerKind::jlink: return "J-Link GDB server";
    case ServerKind::stlink: return "ST-LINK GDB server";
    case ServerKind::qemu: return "QEMU";
  }
  return "server";
}

}  // namespace

int run_debug_session(const boards::Board& board, const boards::Checkout* checkout, const DebugRequest& req,
                      Reporter& r) {
  DebugSettings settings = debug_settings(board, checkout, req.server);
  ServerKind kind = parse_server(settings.server);
  bool attach = req.attach.value_or(board.debug.attach_by_default);
  if (kind == ServerKind::jlink && board.debug.jlink_device.empty())
    fail(ErrorKind::unsupported, fmt::format("{}: no J-Link device name in its board data", board.target),
         "omv cannot start JLinkGDBServer without -device");
  if (kind == ServerKind::qemu && board.debug.qemu_machine.empty())
    fail(ErrorKind::unsupported, fmt::format("{} cannot run under QEMU: QEMU emulates no such machine", board.target),
         fmt::format("use --server {}", board.debug.server == "qemu" ? "jlink" : board.debug.server));
  if (!req.batch.empty() && !fs::is_regular_file(req.batch))
    fail(ErrorKind::io, fmt::format("{}: no such gdb command file", req.batch.string()));
  if (req.rtt && kind == ServerKind::qemu)
    fail(ErrorKind::unsupported, "omv debug --rtt beside gdb needs J-Link's RTT port: QEMU's gdbstub takes one debugger at a time",
         fmt::format("for RTT without gdb: omv debug {} --no-gdb, then omv rtt {} --gdb 127.0.0.1:PORT", board.target,
                     board.target));
  if (req.rtt && kind == ServerKind::stlink)
    fail(ErrorKind::unsupported, "omv debug --rtt needs J-Link's RTT port: ST-LINK_gdbserver has none",
         "use --server jlink, or OpenOCD/pyOCD with omv rtt --gdb HOST:PORT");

  // The ELF and what can go wrong with it. Serving an IDE (--no-gdb) needs none unless QEMU has to
  // run it: the IDE brings its own, so a missing default ELF is said, not refused.
  const bool elf_optional = req.no_gdb && req.elf.empty();
  fs::path elf_path;
  std::optional<ElfInfo> elf;
  try {
    elf_path = resolve_elf(board, checkout, settings, req);
  } catch (const Error&) {
    if (!elf_optional) throw;
  }
  std::error_code elf_ec;
  if (elf_optional && !elf_path.empty() && !fs::exists(elf_path, elf_ec)) {
    r.info(fmt::format("no ELF at {}: serving without one (the IDE loads its own)", elf_path.string()));
    elf_path.clear();
  }
  if (!elf_path.empty()) {
    elf = read_elf(elf_path);
    check_build(*elf, elf_path, board, r);
  }
  std::vector<std::pair<std::string, std::string>> substitutes;
  if (checkout && elf) {
    substitutes = substitute_paths(*elf, checkout->root, [](const fs::path& p) {
      std::error_code ec;
      return fs::exists(p, ec);
    });
    for (const auto& [from, to] : substitutes)
      r.info(fmt::format("the ELF was built in {}; gdb will find its sources in {} (set substitute-path)", from, to),
             {{"check", "substitute_path"}, {"from", from}, {"to", to}});
  }

  // The bytes on the camera.
  std::optional<VirtualCamera> camera;
  if (!req.sim.empty()) {
    if (kind == ServerKind::qemu) {
      camera = find_virtual_camera(board, req.sim, req.serial);
    } else {
      try {
        camera = find_virtual_camera(board, req.sim, req.serial);
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::no_device) throw;
      }
    }
    if (camera && elf) check_camera_bytes(*elf, *camera, board, req.sim, r);
  }
  if (kind == ServerKind::qemu && !camera && elf_path.empty())
    fail(ErrorKind::usage, "QEMU with no virtual camera runs the firmware ELF itself, and there is none",
         fmt::format("pass --elf FILE, or --sim DIR --serial SN to run a virtual camera's flashed bytes (build {} first "
                     "for the default ELF)",
                     board.target));

  // Tools, before anything starts.
  std::optional<Tool> gdb;
  std::string sdk_version = checkout ? checkout->sdk_version : "";
  if (!req.no_gdb) gdb = find_gdb(req.gdb, sdk_version);
  else {
    try {
      gdb = find_gdb(req.gdb, sdk_version);
    } catch (const Error&) {
    }
  }
  Tool server_tool = kind == ServerKind::qemu ? find_qemu() : kind == ServerKind::jlink ? find_jlink_server() : find_stlink_server();
  fs::path external_loader, cube_bin;
  if (kind == ServerKind::stlink) {
    auto bin = find_cubeprogrammer_bin(sdk_version, server_tool.path);
    if (!bin)
      fail(ErrorKind::missing_tool, "STM32CubeProgrammer not found (ST-LINK_gdbserver needs its folder)",
           "install the OpenMV SDK ('omv sdk install' or 'make sdk'; it ships stcubeprog) or STM32CubeCLT from st.com");
    cube_bin = *bin;
    if (!settings.external_loader.empty()) {
      external_loader = cube_bin / "ExternalLoader" / settings.external_loader;
      if (!fs::exists(external_loader))
        fail(ErrorKind::missing_tool, fmt::format("external loader {} not found", external_loader.string()),
             fmt::format("{} needs it to reach its external flash; install the OpenMV SDK ('omv sdk install') whose "
                         "stcubeprog/bin/ExternalLoader holds it",
                         board.target));
    }
  }

  // A free port.
  uint16_t port = req.port.value_or(default_port(kind));
  int span = ports_needed(kind, req.rtt);
  if (req.port) {
    for (int k = 0; k < span; ++k)
      if (!port_is_free(static_cast<uint16_t>(port + k)))
        fail(ErrorKind::failure, port_in_use_text(static_cast<uint16_t>(port + k)),
             "pick another with --port N, or leave --port out and omv picks a free one");
  } else {
    auto free_port = find_free_ports(port, span);
    if (!free_port) fail(ErrorKind::failure, fmt::format("no free TCP port from {} upward", port), "pass --port N");
    if (*free_port != port) r.info(fmt::format("{}; using port {}", port_in_use_text(port), *free_port));
    port = *free_port;
  }

  fs::path dir = run_dir(board, checkout);
  SignalWatch signals;
  Child server;
  ServerSpec spec{kind, {}, port, {}, {}};
  for (int attempt = 1;; ++attempt) {
    spec.port = port;
    spec.log = dir / fmt::format("{}-{}.log", to_string(kind), port);
    switch (kind) {
      case ServerKind::qemu: {
        QemuParams q{server_tool.path, board.debug.qemu_machine, port, attach, {}, {}, dir / fmt::format("uart-{}.log", port)};
        if (camera)
          for (const auto& m : camera->memories) q.images.push_back({m.file, m.cpu_address});
        else
          q.kernel = elf_path;
        spec.uart_log = q.uart_log;
        spec.argv = qemu_command(q);
        break;
      }
      case ServerKind::jlink:
        spec.argv = jlink_command({server_tool.path, board.debug.jlink_device, port, attach, req.rtt});
        break;
      case ServerKind::stlink:
        spec.argv = stlink_command({server_tool.path, cube_bin, external_loader, port, board.debug.access_port, attach});
        break;
    }
    if (kind == ServerKind::qemu && !camera && attempt == 1)
      r.info(fmt::format("no virtual camera given (--sim): QEMU runs {} itself", display(elf_path, checkout)));
    server = Child::spawn(spec.argv, {spec.log, false, true, false});
    r.info(fmt::format("started {} (pid {}): {}", server_name(kind), server.pid(), shell_join(spec.argv)),
           {{"server", to_string(kind)}, {"pid", server.pid()}, {"port", port}, {"argv", spec.argv},
            {"log", spec.log.string()}});
    Millis limit = kind == ServerKind::qemu ? Millis(15000) : Millis(30000);
    if (wait_until_listening(server, port, signals, limit, server_name(kind))) break;
    std::string tail = log_tail(spec.log);
    bool port_taken = tail.find("Failed to bind") != std::string::npos ||
                      tail.find("Address already in use") != std::string::npos;
    if (port_taken && !req.port && attempt < kPortAttempts) {
      auto next = find_free_ports(static_cast<uint16_t>(port + span), span);
      if (next) {
        r.info(fmt::format("port {} was taken as {} started; trying {}", port, server_name(kind), *next));
        port = *next;
        continue;
      }
    }
    fail(ErrorKind::failure,
         fmt::format("{} exited with status {} before listening on port {}{}", server_name(kind), server.status().value_or(-1),
                     port, tail.empty() ? "" : ": " + tail),
         fmt::format("see {}", spec.log.string()));
  }

  std::string where = kind == ServerKind::qemu ? (attach ? "running" : "held at the reset vector") : (attach ? "attached, running" : "reset and halted on connect");
  nlohmann::json ready = {{"server", to_string(kind)}, {"pid", server.pid()},       {"port", port},
                          {"host", "127.0.0.1"},       {"elf", elf_path.string()}, {"log", spec.log.string()},
                          {"attach", attach}};
  if (!spec.uart_log.empty()) ready["uart_log"] = spec.uart_log.string();
  if (camera) ready["camera"] = camera->serial;

  // RTT beside gdb: this binary's `omv rtt` on the J-Link server's RTT port, into a log file.
  Child rtt_reader;
  if (req.rtt) {
    const fs::path rtt_log = dir / fmt::format("rtt-{}.log", port);
    const std::string rtt_port = fmt::format("127.0.0.1:{}", port + 3);
    rtt_reader = Child::spawn({req.self.string(), "rtt", board.target, "--telnet", rtt_port}, {rtt_log, false, true, false});
    ready["rtt_log"] = rtt_log.string();
    r.info(fmt::format("RTT channel 0 from {} goes to {} (tail -f it)", rtt_port, rtt_log.string()),
           {{"rtt_log", rtt_log.string()}, {"rtt_port", port + 3}});
  }

  if (req.no_gdb) {
    std::string gdb_name = gdb ? gdb->path.string() : std::string("gdb-multiarch");
    r.info(fmt::format("{} listening on 127.0.0.1:{} ({}); Ctrl-C stops it", server_name(kind), port, where), ready);
    r.info(fmt::format("connect: {} -ex 'target remote 127.0.0.1:{}' {}", gdb_name, port,
                       elf_path.empty() ? std::string("<firmware.elf>") : elf_path.string()));
    if (!spec.uart_log.empty()) r.info(fmt::format("UART output: {}", spec.uart_log.string()));
    auto w = wait_for({&server}, &signals, std::nullopt);
    if (w.what == WaitResult::What::child_exited) {
      int status = server.status().value_or(1);
      if (status != 0)
        fail(ErrorKind::failure, fmt::format("{} exited with status {}", server_name(kind), status),
             fmt::format("see {}", spec.log.string()));
      r.result(fmt::format("{} exited", server_name(kind)), ready);
      return 0;
    }
    server.stop();
    r.result(fmt::format("stopped {}", server_name(kind)), ready);
    return 0;
  }

  // gdb.
  GdbSetup setup;
  setup.port = port;
  setup.server = kind;
  setup.attach = attach;
  setup.batch = !req.batch.empty();
  setup.stop_at_main = !attach && req.batch.empty();
  setup.substitute_paths = substitutes;
  fs::path setup_file = dir / fmt::format("gdb-setup-{}.gdb", port);
  {
    std::ofstream out(setup_file);
    out << gdb_setup_script(setup);
    if (!out) fail(ErrorKind::io, fmt::format("{}: cannot write", setup_file.string()));
  }
  auto gdb_argv = gdb_command(gdb->path, elf_path, setup_file, req.batch.empty() ? fs::path() : fs::absolute(req.batch));
  r.info(fmt::format("{} ({}), core {}; running {}", server_name(kind), port, where, shell_join(gdb_argv)), ready);
  if (!spec.uart_log.empty()) r.info(fmt::format("UART output: {}", spec.uart_log.string()));

  SpawnOptions gdb_options;
  gdb_options.inherit_stdin = req.batch.empty();
  gdb_options.stdout_to_stderr = req.json;
  Child gdb_process = Child::spawn(gdb_argv, gdb_options);
  bool batch = !req.batch.empty();
  std::optional<Millis> limit = batch ? std::optional(Millis(int64_t{req.timeout_seconds} * 1000)) : std::nullopt;
  auto started = std::chrono::steady_clock::now();
  bool server_gone_reported = false;
  for (;;) {
    std::optional<Millis> left;
    if (limit) left = *limit - std::chrono::duration_cast<Millis>(std::chrono::steady_clock::now() - started);
    std::vector<Child*> watched = {&gdb_process};
    if (server.valid() && !server_gone_reported) watched.push_back(&server);
    auto w = wait_for(watched, &signals, left);
    if (w.what == WaitResult::What::child_exited && w.child == 0) break;
    if (w.what == WaitResult::What::child_exited) {
      server_gone_reported = true;
      if (server.status().value_or(0) != 0)
        r.warn(fmt::format("{} exited with status {} (see {})", server_name(kind), *server.status(), spec.log.string()));
      continue;
    }
    if (w.what == WaitResult::What::signal) {
      if (w.signal == SIGINT && !batch) continue;  // the terminal's Ctrl-C is gdb's: it stops the core
      gdb_process.stop();
      server.stop();
      fail(ErrorKind::interrupted, fmt::format("interrupted: stopped gdb and {}", server_name(kind)));
    }
    gdb_process.stop();
    server.stop();
    fail(ErrorKind::timeout, fmt::format("the gdb batch file did not finish within {} s", req.timeout_seconds),
         "a 'continue' whose breakpoint is never hit waits forever; raise --timeout if it needs longer");
  }
  int status = gdb_process.status().value_or(1);
  server.stop();
  r.result(fmt::format("gdb exited with status {}; stopped {}", status, server_name(kind)),
           {{"gdb_status", status}, {"server", to_string(kind)}, {"port", port}, {"pid", server.pid()}});
  return status;
}

}  // namespace omv::debug
