// omv bootloader TARGET [--serial SN] [--timeout MS]: put a camera into the bootloader omv
// flashes it through (and leave it there), reporting where it is.
#include <fmt/format.h>

#include "cli/command.h"
#include "discovery/bootloader.h"
#include "flash/bootloader_entry.h"

namespace omv::cli::cmd_bootloader {
namespace {

struct Options {
  std::string target;
  std::string serial;
  uint64_t timeout_ms = 0;
};

void run(Context& ctx, const Options& opt) {
  const auto& board = ctx.boards().get(opt.target);
  const auto sources = discovery::open_sources(ctx.globals.sim);
  const discovery::IdentityTable table(ctx.boards());
  discovery::BootloaderOptions options;
  options.serial = opt.serial;
  options.wait = std::chrono::milliseconds(opt.timeout_ms);
  auto reporter = ctx.reporter();
  const auto result = discovery::find_or_enter_bootloader(board, sources, table, options, reporter);
  const std::string summary =
      result.entered ? fmt::format("{} is in its bootloader ({} ms after {})", result.device.describe(),
                                   result.reset_to_appearance.count(), result.method)
                     : fmt::format("{} is already in its bootloader", result.device.describe());
  reporter.result(summary, discovery::to_json(result));
}

void setup(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<Options>();
  auto* cmd = parent.add_subcommand("bootloader", "Reset a camera into its bootloader and wait for it");
  cmd->add_option("TARGET", opt->target, "Board TARGET, e.g. OPENMV4")->required();
  cmd->add_option("--serial", opt->serial, "The camera's USB serial number (see 'omv list')");
  cmd->add_option("--timeout", opt->timeout_ms, "How long to wait for the bootloader, in ms (default: 10000)");
  cmd->callback([&ctx, opt] { run(ctx, *opt); });

  // `omv flash` / `omv erase-fs` call this when no camera sits in the bootloader: a camera running
  // its firmware is reset into it. Registered here because it needs the parsed --sim.
  flash::register_bootloader_entry([&ctx](const flash::EntryRequest& request) {
    const auto sources = discovery::open_sources(ctx.globals.sim);
    const discovery::IdentityTable table(ctx.boards());
    discovery::BootloaderOptions options;
    options.serial = request.serial;
    return discovery::enter_running_camera(request.board, sources, table, options, request.reporter);
  });
}

const Register registered{{"bootloader", "Reset a running camera into its bootloader", setup, Group::flash, 42,
                                    "  omv bootloader OPENMV4\n"}};

}  // namespace
}  // namespace omv::cli::cmd_bootloader
