// omv list [--json]: every attached device omv knows from the board data, in any mode — cameras
// running their firmware (with their serial port), bootloaders, ROM loaders, ISP adapters —
// including the ones it cannot open, with the reason and the fix.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>

#include "cli/command.h"
#include "cli/table.h"
#include "discovery/scan.h"

namespace omv::cli::cmd_list {
namespace {

void run(Context& ctx, bool serials_only) {
  const auto sources = discovery::open_sources(ctx.globals.sim);
  const discovery::IdentityTable table(ctx.boards());
  const auto devices = discovery::scan(table, sources);
  if (serials_only) {
    std::vector<std::string> serials;
    for (const auto& d : devices)
      if (!d.serial.empty()) serials.push_back(d.serial);
    std::sort(serials.begin(), serials.end());
    serials.erase(std::unique(serials.begin(), serials.end()), serials.end());
    for (const auto& s : serials) std::printf("%s\n", s.c_str());
    return;
  }
  if (ctx.globals.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& d : devices) out.push_back(discovery::to_json(d));
    print_json(out);
    return;
  }
  if (devices.empty()) {
    std::fputs("no cameras found\n", stdout);
    std::fputs("hint: connect a camera with a data cable; 'omv boards' lists the boards omv knows\n", stderr);
    return;
  }
  Table t({"BOARD", "MODE", "VID:PID", "SERIAL", "PORT/PATH", "BUS-PORT"});
  for (const auto& d : devices)
    t.add({d.board_label(), d.mode(), format_usb_id(d.id), d.serial.empty() ? "-" : d.serial,
           d.location().empty() ? "-" : d.location(), d.bus_port.empty() ? "-" : d.bus_port});
  std::fputs(t.render().c_str(), stdout);
  for (const auto& d : devices) {
    if (d.accessible) continue;
    fmt::print("\n{} cannot be opened: {}\n", d.describe(), d.problem);
    if (!d.fix.empty()) fmt::print("  fix: {}\n", d.fix);
  }
}

void setup(CLI::App& parent, Context& ctx) {
  auto* cmd = parent.add_subcommand("list", "Every attached camera, bootloader and loader, in any mode");
  auto serials_only = std::make_shared<bool>(false);
  cmd->add_flag("--serials", *serials_only, "Only the serial numbers, one per line (for scripts and shell completion)");
  cmd->callback([&ctx, serials_only] { run(ctx, *serials_only); });
}

const Register registered{{"list", "List attached cameras in every mode (board, mode, serial, port)", setup, Group::flash, 20,
                                    "  omv list\n" "  omv list --json\n" "  for sn in $(omv list --serials); do omv flash OPENMV4 --serial $sn; done\n"}};

}  // namespace
}  // namespace omv::cli::cmd_list
