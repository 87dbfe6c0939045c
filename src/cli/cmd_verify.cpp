// omv verify TARGET [same image options as flash]: compare the camera with the images.
#include <fmt/format.h>

#include "cli/command.h"
#include "cli/flash_options.h"
#include "core/numbers.h"
#include "flash/connect.h"
#include "flash/executor.h"
#include "flash/images.h"
#include "flash/plan.h"

namespace omv::cli::cmd_verify {
namespace {

struct Options {
  std::string target;
  FlashImageOptions images;
  DeviceOptions device;
};

void run(Context& ctx, const Options& opt) {
  const auto& board = ctx.boards().get(opt.target);
  auto rep = ctx.reporter();
  auto images = flash::collect_images(board, opt.images.resolve(ctx, board), rep);
  flash::PlanOptions po;
  po.skip_unchanged = false;
  po.allow_read_only = true;  // comparing touches nothing
  flash::validate(board, images, po);
  auto conn = flash::connect(board, opt.device.connect(ctx), rep);
  if (!conn.session->capabilities().can_read)
    fail(ErrorKind::unsupported, board.target + "'s bootloader cannot read memory back");
  auto plan = flash::make_plan(board, images, nullptr, po, rep);
  auto verified = flash::verify_images(plan, *conn.session, rep, false);
  rep.result(fmt::format("verified {}: the camera holds the images", human_size(verified)), {{"verified_bytes", verified}});
}

void setup(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<Options>();
  auto* cmd = parent.add_subcommand("verify", "Compare the camera's flash with images (exit 8 on a difference)");
  cmd->add_option("TARGET", opt->target, "Board TARGET")->required();
  opt->images.add(cmd);
  opt->device.add(cmd);
  cmd->callback([&ctx, opt] { run(ctx, *opt); });
}

const Register registered{{"verify", "Compare the camera's flash with images", setup, Group::flash, 34,
                                    "  omv verify OPENMV4 --firmware firmware.bin\n"}};

}  // namespace
}  // namespace omv::cli::cmd_verify
