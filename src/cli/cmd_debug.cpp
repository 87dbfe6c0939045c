// omv debug TARGET: start the board's GDB server (J-Link, ST-LINK, or QEMU running the virtual
// camera's bytes) and gdb on the debug ELF, connected and stopped at the reset handler or main.
#include "cli/command.h"
#include "core/error.h"
#include "debug/session.h"
#include "platform/exe_path.h"

namespace omv::cli::cmd_debug {
namespace {

struct Options {
  std::string target;
  std::string server;
  bool attach = false;
  bool launch = false;
  int port = 0;
  std::string gdb;
  bool no_gdb = false;
  std::string batch;
  std::string elf;
  std::string serial;
  int timeout = 120;
  bool rtt = false;
};

void run(Context& ctx, const Options& opt) {
  const auto& board = ctx.boards().get(opt.target);
  if (opt.attach && opt.launch) fail(ErrorKind::usage, "--attach and --launch exclude each other");
  if (opt.no_gdb && !opt.batch.empty()) fail(ErrorKind::usage, "--batch runs gdb, --no-gdb does not: pick one");
  debug::DebugRequest req;
  req.server = opt.server;
  if (opt.attach) req.attach = true;
  if (opt.launch) req.attach = false;
  if (opt.port != 0) req.port = static_cast<uint16_t>(opt.port);
  req.gdb = opt.gdb;
  req.no_gdb = opt.no_gdb;
  req.batch = opt.batch;
  req.elf = opt.elf;
  req.sim = ctx.globals.sim;
  req.serial = opt.serial;
  req.timeout_seconds = opt.timeout;
  req.json = ctx.globals.json;
  req.rtt = opt.rtt;
  if (opt.rtt) req.self = platform::os::executable_path().value_or("omv");
  auto reporter = ctx.reporter();
  int status = debug::run_debug_session(board, ctx.checkout(), req, reporter);
  if (status != 0) fail(ErrorKind::failure, "gdb exited with status " + std::to_string(status));
}

void setup(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<Options>();
  auto* cmd = parent.add_subcommand("debug", "Debug the firmware on a camera: GDB server + gdb, stopped at reset/main");
  cmd->add_option("TARGET", opt->target, "Board TARGET, e.g. OPENMV4 or MPS2_AN500")->required();
  cmd->add_option("--server", opt->server, "GDB server: jlink, stlink or qemu (default: the board's)")
      ->check(CLI::IsMember({"jlink", "stlink", "qemu"}));
  cmd->add_flag("--attach", opt->attach, "Attach to the running core instead of resetting it (default on N6, RT1062, AE3)");
  cmd->add_flag("--launch", opt->launch, "Reset the core and stop at reset/main, also where attach is the default");
  cmd->add_option("--port", opt->port, "GDB port (default: the server's usual port, or the next free one)")
      ->check(CLI::Range(1, 65535));
  cmd->add_option("--gdb", opt->gdb, "gdb to run (default: the SDK's arm-none-eabi-gdb, else gdb-multiarch)");
  cmd->add_flag("--no-gdb", opt->no_gdb, "Only start the server (for an IDE); Ctrl-C stops it");
  cmd->add_flag("--rtt", opt->rtt, "J-Link: also read RTT channel 0 into build/<TARGET>/debug/rtt-<port>.log while gdb runs");
  cmd->add_option("--batch", opt->batch, "Run this gdb command file and exit (core held at the reset handler)");
  cmd->add_option("--elf", opt->elf, "ELF to debug (default: build/<TARGET>/bin/<the board's debug ELF>)");
  cmd->add_option("--serial", opt->serial, "Which virtual camera on the sim bus (--sim), by serial number");
  cmd->add_option("--timeout", opt->timeout, "Seconds a --batch session may take (default 120)")->check(CLI::Range(1, 86400));
  cmd->callback([&ctx, opt] { run(ctx, *opt); });
}

const Register registered{{"debug", "Debug a camera: GDB server (J-Link, ST-LINK, QEMU) + gdb", setup, Group::debug, 60,
                                    "  omv debug OPENMV4 --elf build/OPENMV4/bin/firmware.elf\n" "  omv debug MPS2_AN500 --server qemu --no-gdb\n"}};

}  // namespace
}  // namespace omv::cli::cmd_debug
