// omv deploy TARGET [--probe gdb|stlink|jlink|isp] [--gdb HOST:PORT] [--firmware F | --elf F]
//   [--build-dir D] [--serial SN] [--no-skip] [--verify] [--no-reset] [--dry-run] [--port P] [--ds F]
// Puts a build on the chip through a debug probe: a GDB server (only erase units that differ from
// what the target holds are erased and written), ST's STM32_Programmer_CLI or SEGGER's J-Link
// Commander (flash/vendor_programmer.h), or the AE3's Secure Enclave ISP (flash/alif_deploy.h).
#include <fmt/format.h>

#include "cli/command.h"
#include "cli/flash_options.h"
#include "core/error.h"
#include "core/numbers.h"
#include "flash/alif_deploy.h"
#include "flash/gdb_deploy.h"
#include "flash/images.h"
#include "flash/vendor_programmer.h"
#include "transport/bus_factory.h"

namespace omv::cli::cmd_deploy {
namespace {

constexpr const char* kDefaultGdbServer = "127.0.0.1:3333";

struct Options {
  std::string target;
  std::string probe;
  std::string gdb;
  std::string firmware;
  std::string elf;
  std::string build_dir;
  bool no_skip = false;
  bool verify = false;
  bool no_reset = false;
  bool dry_run = false;
  std::string serial;    // --probe stlink|jlink: which probe
  std::string port, ds;  // --probe isp (the AE3)
};

// The probe named, or the one --gdb implies, or the board's (deploy.probe, else its debug server).
std::string choose_probe(const boards::Board& board, const Options& opt) {
  if (!opt.probe.empty()) {
    if (opt.probe != "gdb" && !opt.gdb.empty())
      fail(ErrorKind::usage, "--gdb HOST:PORT goes with --probe gdb, not --probe " + opt.probe);
    return opt.probe;
  }
  if (!opt.gdb.empty()) return "gdb";
  if (auto probe = board.default_deploy_probe(); !probe.empty()) return probe;
  fail(ErrorKind::unsupported, board.target + " has no debug probe in its board data",
       "start a GDB server for it and pass --gdb HOST:PORT");
}

FlashImageOptions image_options(const Options& opt) {
  if (!opt.firmware.empty() && !opt.elf.empty()) fail(ErrorKind::usage, "--firmware and --elf exclude each other: pick one");
  FlashImageOptions files;
  files.firmware = !opt.elf.empty() ? opt.elf : opt.firmware;
  files.build_dir = opt.build_dir;
  return files;
}

void print_plan(Reporter& rep, const flash::Plan& plan, bool dry_run) {
  for (const auto& ip : plan.images) {
    std::map<std::string, int> counts;
    for (const auto& u : ip.units) counts[flash::action_name(u.action)]++;
    std::string parts;
    for (const auto& [k, v] : counts) parts += fmt::format("{}{} {}", parts.empty() ? "" : ", ", v, k);
    rep.info(fmt::format("{}{} -> {} at {} ({}): {} unit(s): {}", dry_run ? "plan: " : "", ip.image->label,
                         ip.image->partition->name, hex32(ip.image->address), human_size(ip.image->data.size()),
                         ip.units.size(), parts),
             {{"image", ip.image->label}, {"partition", ip.image->partition->name}});
  }
}

// The AE3: the images of application_package.ds over the Secure Enclave's ISP (app-write-mram.py).
void run_isp(Context& ctx, const boards::Board& board, const Options& opt) {
  if (opt.verify)
    fail(ErrorKind::unsupported, "omv deploy --verify over the Secure Enclave ISP is not implemented yet (no MRAM read-back)",
         "deploy without --verify, then check the camera with omv verify " + board.target + " from its bootloader");
  if (!opt.firmware.empty() || !opt.elf.empty() || !opt.gdb.empty() || opt.no_skip || opt.no_reset || !opt.serial.empty())
    fail(ErrorKind::usage,
         "--firmware, --elf, --gdb, --no-skip, --no-reset and --serial are for deploys through a debug probe",
         "over the ISP the images come from the package script: pass --ds build/" + board.target + "/application_package.ds");
  auto rep = ctx.reporter();
  auto usb = transport::make_usb_bus(ctx.globals.sim);
  flash::AlifDeployRequest r{board, *usb, rep};
  r.port = opt.port;
  r.dry_run = opt.dry_run;
  const auto* co = ctx.checkout();
  r.script = !opt.ds.empty() ? std::filesystem::path(opt.ds)
             : co            ? co->root / "build" / board.target / "application_package.ds"
                             : std::filesystem::path();
  // app-write-mram.py runs from the checkout, so its paths are relative to it (or to the script).
  r.search_dirs.push_back(r.script.parent_path());
  if (co) r.search_dirs.push_back(co->root);
  r.search_dirs.push_back(std::filesystem::current_path());
  auto data = flash::deploy_alif(r);
  data["target"] = board.target;
  data["probe"] = "isp";
  if (opt.dry_run) return rep.result("dry run: nothing was written", data);
  rep.result(fmt::format("{} burned into MRAM through the Secure Enclave ISP", human_size(data["bytes"].get<uint64_t>())),
             data);
}

// STM32_Programmer_CLI over an ST-LINK, or J-Link Commander over a J-Link.
void run_vendor(Context& ctx, const boards::Board& board, const Options& opt, flash::VendorProbe probe) {
  if (opt.no_skip || !opt.port.empty() || !opt.ds.empty())
    fail(ErrorKind::usage,
         fmt::format("--no-skip goes with --probe gdb, --port and --ds with --probe isp; not with --probe {}",
                     flash::to_string(probe)));
  flash::require_vendor_probe(board, probe);
  auto rep = ctx.reporter();
  auto images = flash::collect_images(board, image_options(opt).resolve(ctx, board), rep);
  flash::VendorDeployOptions o;
  o.probe = probe;
  if (const auto* co = ctx.checkout()) o.sdk_version = co->sdk_version;
  o.serial = opt.serial;
  o.verify = opt.verify;
  o.reset = !opt.no_reset;
  o.dry_run = opt.dry_run;
  auto deployed = flash::deploy_with_vendor_programmer(board, images, o, rep);
  nlohmann::json data = {{"target", board.target}, {"probe", flash::to_string(probe)}};
  data.update(deployed.to_json());
  if (opt.dry_run) {
    data["dry_run"] = true;
    return rep.result(fmt::format("dry run: would run {}; nothing was written", deployed.tool), data);
  }
  data["seconds"] = deployed.seconds;
  rep.result(deployed.summary(), data);
}

void run(Context& ctx, const Options& opt) {
  const auto& board = ctx.boards().get(opt.target);
  const std::string probe = choose_probe(board, opt);
  if (probe == "isp") {
    if (!board.usb_id("isp")) fail(ErrorKind::usage, board.target + " has no Secure Enclave ISP (--probe isp is the AE3's)");
    return run_isp(ctx, board, opt);
  }
  if (probe == "stlink") return run_vendor(ctx, board, opt, flash::VendorProbe::stlink);
  if (probe == "jlink") return run_vendor(ctx, board, opt, flash::VendorProbe::jlink);
  if (!opt.serial.empty())
    fail(ErrorKind::usage, "--serial selects the ST-LINK or J-Link for --probe stlink|jlink; a GDB server picks its probe itself",
         "give the server its probe's serial number (OpenOCD: adapter serial SN; JLinkGDBServer: -select usb=SN)");

  auto rep = ctx.reporter();
  auto images = flash::collect_images(board, image_options(opt).resolve(ctx, board), rep);

  flash::GdbDeployOptions o;
  o.endpoint = protocol::gdb::parse_endpoint(opt.gdb.empty() ? kDefaultGdbServer : opt.gdb);
  o.skip_unchanged = !opt.no_skip;
  o.verify = opt.verify;
  o.reset = !opt.no_reset;
  o.dry_run = opt.dry_run;
  o.on_plan = [&](const flash::Plan& plan) { print_plan(rep, plan, opt.dry_run); };
  auto deployed = flash::deploy_over_gdb(board, images, o, rep);

  nlohmann::json data = {{"target", board.target}, {"probe", probe}, {"gdb", deployed.server_json()},
                         {"plan", deployed.plan.to_json()}};
  const auto& plan = deployed.plan;
  if (opt.dry_run) {
    data["dry_run"] = true;
    rep.result(fmt::format("dry run: would write {} and skip {} ({} unit(s) to write, {} identical{}); nothing was written",
                           human_size(plan.bytes(flash::Action::write) + plan.bytes(flash::Action::erase_only)),
                           human_size(plan.bytes(flash::Action::skip)),
                           plan.count(flash::Action::write) + plan.count(flash::Action::erase_only),
                           plan.count(flash::Action::skip),
                           deployed.compared_by.empty() ? "" : ", compared by " + deployed.compared_by),
               data);
    return;
  }
  const auto& outcome = *deployed.outcome;
  data.update(outcome.to_json());
  rep.result(fmt::format("{} through {}", outcome.summary(), deployed.server), data);
}

void setup(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<Options>();
  auto* cmd = parent.add_subcommand(
      "deploy", "Deploy a build through a debug probe: a GDB server (writes only changed units), STM32_Programmer_CLI or J-Link");
  cmd->add_option("TARGET", opt->target, "Board TARGET, e.g. OPENMV4 or MPS2_AN500")->required();
  cmd->add_option("--probe", opt->probe,
                  "gdb (any running GDB server), stlink (STM32_Programmer_CLI), jlink (J-Link Commander), or isp (the "
                  "AE3's Secure Enclave UART) (default: gdb with --gdb, else the board's: omv board TARGET)")
      ->check(CLI::IsMember({"gdb", "stlink", "jlink", "isp"}));
  cmd->add_option("--gdb", opt->gdb, std::string("GDB server to deploy through, HOST:PORT (default ") + kDefaultGdbServer + ")");
  cmd->add_option("--firmware", opt->firmware, "Firmware image (bin at the firmware partition, or an ELF/DfuSe/UF2 by its addresses)");
  cmd->add_option("--elf", opt->elf, "ELF to deploy, by its load addresses");
  cmd->add_option("--build-dir", opt->build_dir, "Take the build files from DIR (default: build/TARGET/bin of the checkout)");
  cmd->add_option("--serial", opt->serial, "stlink/jlink: the serial number of the ST-LINK or J-Link to use (sn= / -SelectEmuBySN)");
  cmd->add_flag("--no-skip", opt->no_skip, "gdb: write every unit, even those the target already holds");
  cmd->add_flag("--verify", opt->verify,
                "Compare what was written with the target afterwards (gdb: qCRC or reads; stlink: -v; jlink: verifybin)");
  cmd->add_flag("--no-reset", opt->no_reset,
                "No reset afterwards (gdb: no monitor reset and no detach, QEMU stays paused; stlink: no -hardRst; jlink: "
                "no r and g)");
  cmd->add_flag("--dry-run", opt->dry_run, "gdb: compare and print the plan; stlink/jlink: print the command; write nothing");
  cmd->add_option("--port", opt->port, "isp: the Secure Enclave's UART (default: the debug adapter's FTDI/CH340 port)");
  cmd->add_option("--ds", opt->ds, "isp: the package script (default: build/TARGET/application_package.ds of the checkout)");
  cmd->callback([&ctx, opt] { run(ctx, *opt); });
}

const Register registered{{"deploy", "Deploy through a debug probe: a GDB server, STM32_Programmer_CLI or J-Link Commander",
                           setup, Group::debug, 55,
                           "  omv deploy OPENMV4 --gdb 127.0.0.1:3333          # OpenOCD, pyOCD, probe-rs...\n"
                           "  omv deploy MPS2_AN500 --gdb 127.0.0.1:1234 --dry-run\n"
                           "  omv deploy OPENMV_N6                             # STM32_Programmer_CLI, the N6's default\n"
                           "  omv deploy OPENMV4 --probe jlink --serial 801012345 --dry-run\n"
                           "  omv deploy OPENMV_AE3 --ds build/OPENMV_AE3/application_package.ds\n"}};

}  // namespace
}  // namespace omv::cli::cmd_deploy
