// omv submodules TARGET: fetch only the git submodules one board needs.
#include <fmt/format.h>

#include "build/build_driver.h"
#include "build/sources.h"
#include "cli/command.h"

namespace omv::cli::cmd_submodules {
namespace {

void run(Context& ctx, const std::string& target) {
  const auto& co = ctx.require_checkout();
  auto reporter = ctx.reporter();
  build::Builder builder(co, ctx.boards(), reporter, ctx.globals.json);
  const auto& board = builder.resolve(target);
  build::fetch_board_submodules(co, board, reporter, ctx.globals.json);
  reporter.result(fmt::format("submodules for {} are in place", board.target), {{"target", board.target}});
}

void setup(CLI::App& parent, Context& ctx) {
  auto target = std::make_shared<std::string>();
  auto* cmd = parent.add_subcommand("submodules", "Fetch the git submodules one board needs (MicroPython's port submodules)");
  cmd->add_option("TARGET", *target, "Board TARGET")->required();
  cmd->callback([&ctx, target] { run(ctx, *target); });
}

const Register registered{{"submodules", "Fetch only the submodules a board needs", setup, Group::build, 34,
                                    "  omv submodules OPENMV_RT1060\n"}};

}  // namespace
}  // namespace omv::cli::cmd_submodules
