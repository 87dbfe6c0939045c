// omv clean TARGET [--mpy-cross]: remove one board's build folder (and the shared mpy-cross).
#include <fmt/format.h>

#include "build/build_driver.h"
#include "cli/command.h"
#include "core/numbers.h"

namespace omv::cli::cmd_clean {
namespace {

struct Options {
  std::string target;
  bool mpy_cross = false;
};

void run(Context& ctx, const Options& opt) {
  const auto& co = ctx.require_checkout();
  auto reporter = ctx.reporter();
  build::Builder builder(co, ctx.boards(), reporter, ctx.globals.json);
  const auto* board = co.board(opt.target);
  if (!board) builder.resolve(opt.target);  // unknown: throws with suggestions; unsupported boards may still be cleaned
  auto bytes = build::clean_target(co.root, board->target, opt.mpy_cross, reporter);
  reporter.result(fmt::format("cleaned {} ({} freed)", board->target, human_size(bytes)),
                  {{"target", board->target}, {"bytes", bytes}, {"mpy_cross", opt.mpy_cross}});
}

void setup(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<Options>();
  auto* cmd = parent.add_subcommand("clean", "Remove build/<TARGET> (and mpy-cross with --mpy-cross)");
  cmd->add_option("TARGET", opt->target, "Board TARGET")->required();
  cmd->add_flag("--mpy-cross", opt->mpy_cross, "Also clean mpy-cross (shared by all boards; do it when switching boards)");
  cmd->callback([&ctx, opt] { run(ctx, *opt); });
}

const Register registered{{"clean", "Remove a board's build folder (and mpy-cross)", setup, Group::build, 32,
                                    "  omv clean OPENMV4\n" "  omv clean OPENMV4 --mpy-cross\n"}};

}  // namespace
}  // namespace omv::cli::cmd_clean
