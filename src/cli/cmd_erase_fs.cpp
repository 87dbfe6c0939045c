// omv erase-fs TARGET [--serial SN] [--no-reset]: erase the camera's internal filesystem the way
// its bootloader family does it (a zero block to the filesystem alt; the Arduino boards' two
// addresses), so the firmware re-formats it on the next boot.
#include <fmt/format.h>

#include "cli/command.h"
#include "cli/flash_options.h"
#include "flash/connect.h"
#include "flash/executor.h"
#include "flash/images.h"

namespace omv::cli::cmd_erase_fs {
namespace {

struct Options {
  std::string target;
  DeviceOptions device;
  bool no_reset = false;
  bool dry_run = false;
};

void run(Context& ctx, const Options& opt) {
  const auto& board = ctx.boards().get(opt.target);
  auto rep = ctx.reporter();
  auto images = flash::erase_fs_images(board);
  flash::PlanOptions po;
  po.skip_unchanged = false;  // always clear it, even if it looks cleared
  flash::validate(board, images, po);
  if (opt.dry_run) {
    auto plan = flash::make_plan(board, images, nullptr, po, rep);
    rep.result("dry run: would clear the start of " + board.erase_fs.partitions.front() + "; nothing was written",
               {{"dry_run", true}, {"plan", plan.to_json()}});
    return;
  }
  auto conn = flash::connect(board, opt.device.connect(ctx), rep);
  auto plan = flash::make_plan(board, images, conn.session.get(), po, rep);
  flash::ExecuteOptions eo;
  eo.reset = !opt.no_reset;
  auto outcome = flash::execute(board, plan, *conn.session, eo, rep);
  std::vector<std::string> names;
  for (const auto& i : images) names.push_back(i.partition->name);
  auto data = outcome.to_json();
  data["partitions"] = names;
  rep.result(fmt::format("erased the filesystem of {} ({}); it is re-formatted on the next boot", board.target,
                         fmt::join(names, ", ")),
             data);
}

void setup(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<Options>();
  auto* cmd = parent.add_subcommand("erase-fs", "Erase the camera's internal filesystem (it re-formats on boot)");
  cmd->add_option("TARGET", opt->target, "Board TARGET")->required();
  opt->device.add(cmd);
  cmd->add_flag("--no-reset", opt->no_reset, "Stay in the bootloader afterwards");
  cmd->add_flag("--dry-run", opt->dry_run, "Print what would be erased; write nothing");
  cmd->callback([&ctx, opt] { run(ctx, *opt); });
}

const Register registered{{"erase-fs", "Erase the internal filesystem through the bootloader", setup, Group::flash, 31,
                                    "  omv erase-fs OPENMV4\n" "  omv erase-fs OPENMV4 --dry-run\n"}};

}  // namespace
}  // namespace omv::cli::cmd_erase_fs
