// omv sim gadget TARGET --state DIR: serve a virtual camera as a real USB device on this Linux
// machine's USB stack (attached to a port of the USB/IP virtual host controller, vhci-hcd), so
// libusb, dfu-util and omv's own USB backend meet it as they would meet the camera. Needs root.
// Runs in the foreground until SIGTERM/SIGINT.
#include <fmt/format.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <csignal>
#include <fstream>

#include "cli/command.h"
#include "core/error.h"
#include "core/numbers.h"
#include "sim/gadget/gadget_camera.h"
#include "sim/gadget/gadget_host.h"
#include "sim/gadget/vhci_port.h"
#include "sim/launcher.h"

namespace omv::cli::cmd_gadget {
namespace {

struct Options {
  std::string target;
  std::string state;
  std::string mode = "bootloader";
  std::string serial;
  double time_scale = 1;
  std::vector<std::string> faults;
  std::string vhci = "/sys/devices/platform/vhci_hcd.0";
  bool high_speed = false;
  std::string ready;
  std::string unplug_after;
  bool trace = false;
};

std::atomic<bool> g_stop{false};
void on_stop(int) { g_stop = true; }

void run(Context& ctx, const Options& opt) {
  const auto& board = ctx.boards().get(opt.target);
  sim::gadget::CameraOptions co;
  co.mode = opt.mode;
  co.serial = opt.serial.empty() ? sim::default_serial(board) : opt.serial;
  co.state_dir = opt.state;
  co.time_scale = opt.time_scale;
  co.faults = opt.faults;
  sim::gadget::GadgetCamera camera(board, co);
  sim::gadget::VhciPort controller(opt.vhci, opt.high_speed);
  sim::gadget::HostOptions ho;
  if (!opt.unplug_after.empty()) {
    ho.unplug_after_out_bytes = parse_u64(opt.unplug_after);
    if (!ho.unplug_after_out_bytes)
      fail(ErrorKind::usage, "--unplug-after " + opt.unplug_after + ": expected a byte count such as 100K");
  }
  ho.request_lost = [&camera] { return camera.take_lost_request(); };
  if (opt.trace) ho.trace = [](const std::string& line) { std::fprintf(stderr, "gadget: %s\n", line.c_str()); };
  sim::gadget::GadgetHost host(camera, controller, ho);

  struct sigaction sa {};
  sa.sa_handler = on_stop;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);

  host.step(transport::Millis(0));
  auto rep = ctx.reporter();
  const auto id = camera.identity();
  rep.info(fmt::format("virtual {} in {} mode on port {} of {} as {} (serial {}), memories in {}", board.target,
                       camera.mode(), controller.port(), controller.controller().string(),
                       id ? format_usb_id(id->id) : "nothing", co.serial, opt.state));
  std::fflush(stdout);  // what it presents is on record before anyone is told it is ready
  if (!opt.ready.empty()) std::ofstream(opt.ready) << ::getpid() << "\n";
  host.serve([] { return g_stop.load(); });

  nlohmann::json stats = camera.stats();
  stats["gadget"] = host.stats();
  rep.result(fmt::format("virtual {} left the bus in {} mode after {} enumeration(s){}", board.target, camera.mode(),
                         host.stats()["plugs"].get<uint64_t>(),
                         host.fault_fired() ? ", its cable pulled after " + opt.unplug_after : ""),
             stats);
}

void setup(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<Options>();
  // `sim` belongs to cmd_sim.cpp, which registers first (lower order); gadget is one of its verbs.
  CLI::App* sim = nullptr;
  try {
    sim = parent.get_subcommand("sim");
  } catch (const CLI::OptionNotFound&) {
    sim = parent.add_subcommand("sim", "Virtual cameras");
    sim->require_subcommand(1);
  }
  auto* cmd = sim->add_subcommand(
      "gadget", "Serve a virtual camera as a real USB device on this machine's USB stack (root, vhci-hcd)");
  cmd->add_option("TARGET", opt->target, "Board TARGET")->required();
  cmd->add_option("--state", opt->state, "Folder with the camera's memory files (created if missing)")->required();
  cmd->add_option("--mode", opt->mode, "bootloader, or rom (the ST system bootloader, BOOT-RST jumper set)");
  cmd->add_option("--serial", opt->serial, "USB serial number (default: derived from TARGET)");
  cmd->add_option("--time-scale", opt->time_scale, "Run X times faster than real hardware (1 = real time, 0 = no delays)");
  cmd->add_option("--fault", opt->faults, "Commit a fault once: KIND@BYTES (disconnect, stall, err_write, busy_forever, wrong_phase)");
  cmd->add_option("--vhci", opt->vhci, "sysfs folder of the USB/IP virtual host controller (default vhci_hcd.0)");
  cmd->add_flag("--high-speed", opt->high_speed, "Attach as a high-speed device (default: full speed)");
  cmd->add_option("--ready", opt->ready, "Write this process's id to FILE once the device is on the bus");
  cmd->add_option("--unplug-after", opt->unplug_after,
                  "Pull the cable for good once BYTES were sent to the device (then exit)");
  cmd->add_flag("--trace", opt->trace, "Log every USB request and answer on stderr");
  cmd->callback([&ctx, opt] { run(ctx, *opt); });
}

const Register registered{{"sim gadget", "Serve a virtual camera on this machine's real USB stack", setup, Group::virtual_cameras, 91,
                                    "  omv sim gadget OPENMV4 --state /tmp/cam1\n"}};

}  // namespace
}  // namespace omv::cli::cmd_gadget
