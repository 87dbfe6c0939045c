// omv udev install [--group G] [--print] [--output FILE] [--no-reload]: udev rules so that
// cameras in every mode can be opened without root.
#include <fmt/format.h>

#include <cstdio>

#include "cli/command.h"
#include "core/error.h"
#include "platform/udev.h"
#include "udev/access_hint.h"
#include "udev/rules.h"

namespace omv::cli::cmd_udev {
namespace {

struct Options {
  std::string group = udev::kDefaultGroup;
  bool print = false;
  std::string output;
  bool no_reload = false;
};

void run_install(Context& ctx, const Options& opt) {
  if (opt.print) {
    std::fputs(udev::generate_rules(ctx.boards(), opt.group).c_str(), stdout);
    return;
  }
  if (opt.output.empty() && !platform::os::has_udev())
    fail(ErrorKind::unsupported, "udev install: this host has no udev (no /etc/udev or /run/udev); the rules are for Linux",
         "macOS opens cameras without rules; --print or --output FILE still write them");
  udev::InstallOptions options;
  options.group = opt.group;
  options.path = opt.output;
  options.reload = !opt.no_reload && opt.output.empty();
  auto reporter = ctx.reporter();
  const auto r = udev::install_rules(ctx.boards(), options, reporter);
  nlohmann::json steps = r.next_steps;
  std::string text = fmt::format("installed {} (group '{}'{})", r.path.string(), r.group,
                                 r.reloaded ? ", udev reloaded" : "");
  for (const auto& s : r.next_steps) text += "\n  next: " + s;
  reporter.result(text, {{"path", r.path.string()},
                         {"group", r.group},
                         {"group_created", r.group_created},
                         {"reloaded", r.reloaded},
                         {"user", r.user},
                         {"user_in_group", r.user_in_group},
                         {"next_steps", steps}});
}

void setup(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<Options>();
  auto* cmd = parent.add_subcommand("udev", "Linux device permissions for cameras in every mode");
  cmd->require_subcommand(1);
  auto* install = cmd->add_subcommand("install", "Write and load udev rules for every device omv talks to");
  install->add_option("--group", opt->group, "Group that gets access (default: plugdev)");
  install->add_flag("--print", opt->print, "Print the rules instead of installing them");
  install->add_option("--output", opt->output, fmt::format("Write the rules to FILE instead of {}", udev::kRulesFile));
  install->add_flag("--no-reload", opt->no_reload, "Do not run udevadm afterwards");
  install->callback([&ctx, opt] { run_install(ctx, *opt); });
}

const Register registered{{"udev", "Install udev rules so cameras open without root", setup, Group::set_up, 4,
                                    "  sudo omv udev install\n" "  omv udev install --print\n"}};

}  // namespace
}  // namespace omv::cli::cmd_udev
