// omv: one tool for the OpenMV firmware developer loop.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "cli/command.h"
#include "cli/help_layout.h"
#include "core/error.h"

namespace {

int report_error(const omv::Error& e, bool json) {
  std::fprintf(stderr, "omv: error: %s\n", e.what());
  if (!e.hint().empty()) std::fprintf(stderr, "hint: %s\n", e.hint().c_str());
  if (json) {
    nlohmann::json j = {{"event", "error"},
                        {"kind", omv::kind_name(e.kind())},
                        {"message", e.what()},
                        {"exit_code", omv::exit_code(e.kind())}};
    if (!e.hint().empty()) j["hint"] = e.hint();
    std::printf("%s\n", j.dump().c_str());
  }
  return omv::exit_code(e.kind());
}

}  // namespace

int main(int argc, char** argv) {
  omv::cli::Context ctx;
  CLI::App app{"omv - build, flash, recover and debug OpenMV cameras", "omv"};
  app.fallthrough();
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", std::string("omv ") + OMV_VERSION);
  app.add_flag("--json", ctx.globals.json, "Machine-readable output (JSON lines / documents on stdout)");
  app.add_option("--boards", ctx.globals.boards_dir, "Use the board files in DIR instead of the built-in ones");
  app.add_option("--repo", ctx.globals.repo, "Firmware checkout to use (default: found upward from here)");
  app.add_option("--sim", ctx.globals.sim, "Talk to the virtual cameras on the sim bus DIR instead of USB")
      ->envname("OMV_SIM");

  auto& commands = omv::cli::registry();
  std::stable_sort(commands.begin(), commands.end(),
                   [](const auto& a, const auto& b) { return std::pair(a.group, a.order) < std::pair(b.group, b.order); });
  for (const auto& command : commands) command.setup(app, ctx);
  omv::cli::arrange_help(app, commands);

  try {
    try {
      app.parse(argc, argv);
    } catch (const CLI::CallForHelp& e) {
      return app.exit(e);
    } catch (const CLI::CallForAllHelp& e) {
      return app.exit(e);
    } catch (const CLI::CallForVersion& e) {
      return app.exit(e);
    } catch (const CLI::ParseError& e) {
      std::fprintf(stderr, "omv: error: %s\nhint: run 'omv help%s' for usage\n", e.what(),
                   app.get_subcommands().empty() ? "" : (" " + app.get_subcommands().front()->get_name()).c_str());
      return omv::exit_code(omv::ErrorKind::usage);
    }
    if (app.get_subcommands().empty()) {
      std::fputs(app.help().c_str(), stderr);
      return omv::exit_code(omv::ErrorKind::usage);
    }
  } catch (const omv::Error& e) {
    return report_error(e, ctx.globals.json);
  } catch (const std::exception& e) {
    return report_error(omv::Error(omv::ErrorKind::failure, e.what()), ctx.globals.json);
  }
  return 0;
}
