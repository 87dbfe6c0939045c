// omv vscode TARGET: .vscode/launch.json, tasks.json, extensions.json and c_cpp_properties.json
// for Cortex-Debug in the firmware checkout, merged into what is already there.
#include <fmt/format.h>
#include <unistd.h>

#include <filesystem>

#include "cli/command.h"
#include "core/error.h"
#include "core/text.h"
#include "debug/tools.h"
#include "debug/vscode.h"
#include "platform/exe_path.h"

namespace omv::cli::cmd_vscode {
namespace {

struct Options {
  std::string target;
  bool force = false;
  std::string svd;
  std::string svd_dir;
  std::string server;
};

// How tasks should run omv: "omv" when that is this binary on PATH, else this binary's path.
std::string omv_command() {
  std::error_code ec;
  auto self = platform::os::executable_path();
  if (!self) return "omv";
  if (auto on_path = debug::find_program("omv")) {
    if (std::filesystem::equivalent(*on_path, *self, ec)) return "omv";
  }
  return self->string();
}

void run(Context& ctx, const Options& opt) {
  const auto& board = ctx.boards().get(opt.target);
  const auto& checkout = ctx.require_checkout();
  debug::VscodeRequest req;
  req.force = opt.force;
  req.svd = opt.svd;
  req.svd_dir = opt.svd_dir;
  req.server = opt.server;
  req.sim = ctx.globals.sim;
  req.omv_command = omv_command();
  auto reporter = ctx.reporter();
  auto results = debug::write_vscode_files(board, checkout, req, reporter);
  nlohmann::json files = nlohmann::json::array();
  std::vector<std::string> summary;
  for (const auto& f : results) {
    files.push_back({{"path", f.path.string()}, {"status", f.status}, {"added", f.added},
                     {"replaced", f.replaced}, {"unchanged", f.unchanged}});
    std::string what = f.status;
    if (f.status == "updated") {
      std::vector<std::string> parts;
      if (!f.added.empty()) parts.push_back("added " + join(f.added, ", "));
      if (!f.replaced.empty()) parts.push_back("replaced " + join(f.replaced, ", "));
      what += " (" + join(parts, "; ") + ")";
    }
    reporter.info(fmt::format("{}: {}", f.path.string(), what));
  }
  reporter.result(fmt::format("VS Code is set up for {} in {}", board.target, (checkout.root / ".vscode").string()),
                  {{"target", board.target}, {"files", files}});
}

void setup(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<Options>();
  auto* cmd = parent.add_subcommand("vscode", "Write .vscode files for Cortex-Debug (launch, attach, build task)");
  cmd->add_option("TARGET", opt->target, "Board TARGET, e.g. OPENMV4")->required();
  cmd->add_flag("--force", opt->force, "Replace omv's entries even where they were edited (others are always kept)");
  cmd->add_option("--svd", opt->svd, "SVD file for the peripheral view");
  cmd->add_option("--svd-dir", opt->svd_dir, "Folder of SVD files, remembered for later runs");
  cmd->add_option("--server", opt->server, "GDB server: jlink, stlink or qemu (default: the board's)")
      ->check(CLI::IsMember({"jlink", "stlink", "qemu"}));
  cmd->callback([&ctx, opt] { run(ctx, *opt); });
}

const Register registered{{"vscode", "Write VS Code launch/tasks/IntelliSense files for a board", setup, Group::debug, 61,
                                    "  omv vscode OPENMV4\n"}};

}  // namespace
}  // namespace omv::cli::cmd_vscode
