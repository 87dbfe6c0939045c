// omv clone [DIR] [--full] [--board TARGET] [--url URL]: get the firmware source.
#include <fmt/format.h>

#include "build/sources.h"
#include "cli/command.h"
#include "core/error.h"

namespace omv::cli::cmd_clone {
namespace {

void setup(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<build::CloneOptions>();
  auto dir = std::make_shared<std::string>("openmv");
  auto* cmd = parent.add_subcommand("clone", "Clone the firmware repository (shallow and fast by default)");
  cmd->add_option("DIR", *dir, "Where to clone to")->capture_default_str();
  cmd->add_flag("--full", opt->full, "Full recursive clone (large) instead of the shallow one");
  cmd->add_option("--board", opt->board, "Fetch only this board's submodules");
  cmd->add_option("--url", opt->url, "Repository URL")->capture_default_str();
  cmd->callback([&ctx, opt, dir] {
    if (opt->full && !opt->board.empty())
      throw omv::Error(ErrorKind::usage, "--full already fetches every submodule; --board is for the shallow clone");
    opt->dir = *dir;
    opt->json = ctx.globals.json;
    auto reporter = ctx.reporter();
    build::clone_checkout(*opt, reporter);
    if (!ctx.globals.json)
      fmt::print("next: cd {} && omv sdk install && omv build {}\n", *dir, opt->board.empty() ? "TARGET" : opt->board);
  });
}

const Register registered{{"clone", "Clone the firmware source with its submodules (shallow by default)", setup, Group::set_up, 3,
                                    "  omv clone openmv\n" "  omv clone openmv --board OPENMV4   # only the submodules OPENMV4 needs\n"}};

}  // namespace
}  // namespace omv::cli::cmd_clone
