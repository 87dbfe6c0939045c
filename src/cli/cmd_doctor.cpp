// omv doctor [--json]: checks the host, the SDK and the tools, one line each, with the fix.
#include <fmt/format.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "cli/command.h"
#include "doctor/checks.h"

namespace omv::cli::cmd_doctor {
namespace {

void run(Context& ctx) {
  const auto* co = ctx.checkout();
  bool udev_command = std::any_of(registry().begin(), registry().end(),
                                  [](const Command& c) { return std::string(c.name) == "udev"; });
  auto facts = doctor::gather(co ? std::optional(co->root) : std::nullopt, co ? co->sdk_version : "", udev_command);
  auto checks = doctor::evaluate(facts);
  size_t problems = 0, warnings = 0;
  for (const auto& c : checks) {
    problems += c.status == doctor::Status::problem;
    warnings += c.status == doctor::Status::warning;
  }
  if (ctx.globals.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& c : checks) {
      nlohmann::json j = {{"name", c.name}, {"status", doctor::to_string(c.status)}, {"message", c.message}};
      if (!c.fix.empty()) j["fix"] = c.fix;
      list.push_back(j);
    }
    print_json({{"checks", list}, {"problems", problems}, {"warnings", warnings}});
  } else {
    for (const auto& c : checks) {
      fmt::print("{:<8} {:<18} {}\n", doctor::to_string(c.status), c.name, c.message);
      if (!c.fix.empty()) fmt::print("{:<27}{}: {}\n", "", c.status == doctor::Status::ok ? "how" : "fix", c.fix);
    }
    fmt::print("\n{} problem{}, {} warning{}\n", problems, problems == 1 ? "" : "s", warnings, warnings == 1 ? "" : "s");
  }
  std::fflush(stdout);
  // Problems make the exit status non-zero (scripts and CI can rely on it); the report is complete either way.
  if (problems) std::exit(1);
}

void setup(CLI::App& parent, Context& ctx) {
  auto* cmd = parent.add_subcommand("doctor", "Check the host, SDK, compiler, gdb, QEMU, udev rules and groups");
  cmd->callback([&ctx] { run(ctx); });
}

const Register registered{{"doctor", "Check this machine for everything the loop needs, with fixes", setup, Group::set_up, 1,
                                    "  omv doctor\n" "  omv doctor --json\n"}};

}  // namespace
}  // namespace omv::cli::cmd_doctor
