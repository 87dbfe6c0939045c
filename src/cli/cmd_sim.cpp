// omv sim start|stop|stats|fault|list: virtual cameras on a sim bus (a folder).
#include <fmt/format.h>

#include <algorithm>

#include "cli/command.h"
#include "cli/table.h"
#include "core/error.h"
#include "transport/sim_bus.h"
#include "protocol/gdb/stub_flavour.h"
#include "sim/launcher.h"
#include "sim/simulated_modes.h"

namespace omv::cli::cmd_sim {
namespace {

struct Options {
  std::string target;
  std::string bus;
  std::string serial;
  std::string mode;  // empty: the board's natural bootloader mode (sim::default_mode)
  double time_scale = 1;
  std::vector<std::string> faults;
  std::string fault;
  bool probe = false;
  std::string probe_flavour = "openocd";
  int probe_port = 0;
};

std::string probe_column(const std::filesystem::path& dir) {
  auto p = sim::read_probe_json(dir);
  return p ? fmt::format("{}:{} ({})", (*p)["host"].get<std::string>(), (*p)["port"].get<int>(),
                         (*p)["flavour"].get<std::string>())
           : "-";
}

std::filesystem::path bus_of(Context& ctx, const Options& opt) {
  if (!opt.bus.empty()) return opt.bus;
  if (!ctx.globals.sim.empty()) return ctx.globals.sim;
  fail(ErrorKind::usage, "no sim bus given", "pass --bus DIR (or --sim DIR / OMV_SIM=DIR)");
}

std::string serial_of(const std::filesystem::path& bus, const Options& opt) {
  if (!opt.serial.empty()) return opt.serial;
  auto cams = sim::list_cameras(bus);
  if (cams.size() == 1) return cams.front().serial;
  if (cams.empty()) fail(ErrorKind::no_device, "no virtual camera is running on " + bus.string());
  std::vector<std::string> serials;
  for (const auto& c : cams) serials.push_back(c.serial + " (" + c.target + ")");
  fail(ErrorKind::usage, fmt::format("{} virtual cameras run on {}: pick one with --serial", cams.size(), bus.string()),
       "running: " + fmt::format("{}", fmt::join(serials, ", ")));
}

void start(Context& ctx, const Options& opt) {
  const auto& board = ctx.boards().get(opt.target);
  sim::StartOptions so;
  so.bus = bus_of(ctx, opt);
  so.serial = opt.serial;
  const std::string type = boards::to_string(board.bootloader_type);
  so.mode = opt.mode.empty() ? sim::default_mode(type) : opt.mode;
  const auto modes = sim::simulated_modes(board);
  if (!opt.mode.empty() && std::find(modes.begin(), modes.end(), so.mode) == modes.end()) {
    fail(ErrorKind::unsupported, fmt::format("{} ({}) has no virtual camera in {} mode", board.target, type, so.mode),
         fmt::format("its modes: {} (without --mode: {})", fmt::join(modes, ", "), sim::default_mode(type)));
  }
  so.time_scale = opt.time_scale;
  so.faults = opt.faults;
  if (opt.probe) {
    protocol::gdb::stub_flavour(opt.probe_flavour);  // refuses an unknown one before anything starts
    so.probe = {opt.probe_flavour, opt.probe_port};
  }
  auto cam = sim::start_camera(board, so);
  auto rep = ctx.reporter();
  nlohmann::json data = {{"serial", cam.serial}, {"target", board.target}, {"mode", so.mode}, {"pid", cam.pid},
                         {"dir", cam.dir.string()}, {"generation", cam.generation}};
  std::string probe_text;
  if (auto p = sim::read_probe_json(cam.dir)) {
    data["probe"] = *p;
    probe_text = fmt::format(", probe ({}) at 127.0.0.1:{}", opt.probe_flavour, (*p)["port"].get<int>());
  }
  rep.result(fmt::format("virtual {} ({}) in {} mode: serial {}{}, state in {}", board.target, board.name, so.mode,
                         cam.serial, probe_text, cam.dir.string()),
             data);
}

void stop(Context& ctx, const Options& opt) {
  auto bus = bus_of(ctx, opt);
  std::vector<std::string> serials;
  if (!opt.serial.empty()) {
    serials.push_back(opt.serial);
  } else {
    serials = sim::camera_processes(bus);
  }
  nlohmann::json stopped = nlohmann::json::array();
  for (const auto& s : serials)
    if (sim::stop_camera(bus, s)) stopped.push_back(s);
  if (!opt.serial.empty() && stopped.empty())
    fail(ErrorKind::no_device, "no virtual camera " + opt.serial + " running on " + bus.string());
  ctx.reporter().result(fmt::format("stopped {} virtual camera(s) on {}", stopped.size(), bus.string()),
                        {{"stopped", stopped}});
}

void stats(Context& ctx, const Options& opt) {
  auto bus = bus_of(ctx, opt);
  auto j = sim::camera_stats(bus, serial_of(bus, opt));
  if (ctx.globals.json) {
    print_json(j);
    return;
  }
  fmt::print("{} {} in {} mode (generation {})\n", j["target"].get<std::string>(), j["serial"].get<std::string>(),
             j["mode"].get<std::string>(), j["generation"].get<uint64_t>());
  fmt::print("  erases {}  bytes programmed {}  program-without-erase bits {}\n", j["erases"].get<uint64_t>(),
             j["bytes_programmed"].get<uint64_t>(), j["bits_not_erased"].get<uint64_t>());
  const auto& t = j["time"];
  fmt::print("  device time: erase {:.3f} s, program {:.3f} s, bus {:.3f} s\n", t["erase_ns"].get<double>() / 1e9,
             t["program_ns"].get<double>() / 1e9, t["bus_ns"].get<double>() / 1e9);
  fmt::print("  requests: {}\n", j["model"].dump());
}

void fault(Context& ctx, const Options& opt) {
  auto bus = bus_of(ctx, opt);
  auto serial = serial_of(bus, opt);
  sim::arm_fault(bus, serial, opt.fault);
  ctx.reporter().result("armed fault " + opt.fault + " on " + serial, {{"serial", serial}, {"fault", opt.fault}});
}

void list(Context& ctx, const Options& opt) {
  auto bus = bus_of(ctx, opt);
  auto cams = sim::list_cameras(bus);
  if (ctx.globals.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& c : cams)
      out.push_back({{"serial", c.serial}, {"target", c.target}, {"mode", c.mode}, {"pid", c.pid},
                     {"generation", c.generation}, {"dir", c.dir.string()},
                     {"usb", c.usb ? sim::usb_info_to_json(*c.usb) : nlohmann::json(nullptr)},
                     {"probe", sim::read_probe_json(c.dir).value_or(nlohmann::json(nullptr))}});
    print_json(out);
    return;
  }
  Table t({"SERIAL", "TARGET", "MODE", "USB", "PROBE", "PID"});
  for (const auto& c : cams)
    t.add({c.serial, c.target, c.mode, c.usb ? format_usb_id(c.usb->id) : c.hid ? format_usb_id(c.hid->id) : "-",
           probe_column(c.dir), std::to_string(c.pid)});
  std::fputs(t.render().c_str(), stdout);
}

void setup(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<Options>();
  auto* cmd = parent.add_subcommand("sim", "Virtual cameras on a sim bus (a folder)");
  cmd->require_subcommand(1);

  auto* s = cmd->add_subcommand("start", "Start a virtual camera; returns once it is on the bus");
  s->add_option("TARGET", opt->target, "Board TARGET")->required();
  s->add_option("--bus", opt->bus, "Sim bus folder (default: --sim / OMV_SIM)");
  s->add_option("--serial", opt->serial, "USB serial number (default: derived from TARGET)");
  s->add_option("--time-scale", opt->time_scale, "Run X times faster than real hardware (1 = real time, 0 = no delays)");
  s->add_option("--mode", opt->mode, "Default: the board's own bootloader (bootloader; sbl, the secure bootloader, on the RT1060). "
                 "rom: the chip's ROM loader (ST system bootloader with the BOOT jumper; the RT1060's SDP ROM; the N6's boot "
                 "ROM); flashloader: the RT1060's RAM flashloader; openbl: ST's OpenBootloader on the N6; isp: the AE3's "
                 "Secure Enclave UART; app: running its firmware");
  s->add_flag_callback("--app", [opt] { opt->mode = "app"; },
                       "Start it running its firmware (--mode app): a serial port speaking the OpenMV Protocol");
  s->add_option("--fault", opt->faults,
                "Commit a fault once: KIND@BYTES (disconnect, stall, err_write, busy_forever, wrong_phase; the probe's: "
                "probe_drop, probe_error, probe_silent, probe_bad_crc)");
  s->add_flag("--probe", opt->probe, "Also serve a GDB server on 127.0.0.1, as a debug probe wired to the camera's SWD port");
  s->add_option("--probe-flavour", opt->probe_flavour, "Which server the probe behaves as (with --probe)")
      ->check(CLI::IsMember(protocol::gdb::stub_flavour_names()))
      ->default_str("openocd");
  s->add_option("--probe-port", opt->probe_port, "TCP port of the probe (default: any free one; see omv sim list)");
  s->callback([&ctx, opt] { start(ctx, *opt); });

  auto* st = cmd->add_subcommand("stop", "Stop a virtual camera (all on the bus without --serial)");
  st->add_option("--bus", opt->bus, "Sim bus folder (default: --sim / OMV_SIM)");
  st->add_option("--serial", opt->serial, "Serial number of the camera");
  st->add_option("SERIAL", opt->serial, "Serial number of the camera (as --serial)");
  st->callback([&ctx, opt] { stop(ctx, *opt); });

  auto* sts = cmd->add_subcommand("stats", "A virtual camera's counters: erases, bytes programmed, requests");
  sts->add_option("--bus", opt->bus, "Sim bus folder (default: --sim / OMV_SIM)");
  sts->add_option("--serial", opt->serial, "Serial number of the camera");
  sts->add_option("SERIAL", opt->serial, "Serial number of the camera (as --serial)");
  sts->callback([&ctx, opt] { stats(ctx, *opt); });

  auto* f = cmd->add_subcommand("fault", "Make a running virtual camera commit a fault once");
  f->add_option("SPEC", opt->fault, "KIND@BYTES: disconnect, stall, err_write, busy_forever, wrong_phase, probe_drop, probe_error, probe_silent or probe_bad_crc after BYTES sent")->required();
  f->add_option("--bus", opt->bus, "Sim bus folder (default: --sim / OMV_SIM)");
  f->add_option("--serial", opt->serial, "Serial number of the camera");
  f->callback([&ctx, opt] { fault(ctx, *opt); });

  auto* l = cmd->add_subcommand("list", "The virtual cameras running on a bus");
  l->add_option("--bus", opt->bus, "Sim bus folder (default: --sim / OMV_SIM)");
  l->callback([&ctx, opt] { list(ctx, *opt); });
}

const Register registered{{"sim", "Virtual cameras: start, stop, stats, fault, list", setup, Group::virtual_cameras, 90,
                                    "  omv sim start OPENMV4 --bus /tmp/bus --serial SIM1\n" "  omv --sim /tmp/bus flash OPENMV4 --firmware firmware.bin\n" "  omv sim stats SIM1 --bus /tmp/bus\n" "  omv sim stop SIM1 --bus /tmp/bus\n"}};

}  // namespace
}  // namespace omv::cli::cmd_sim
