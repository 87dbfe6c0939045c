#include "cli/help_layout.h"

#include <sstream>

namespace omv::cli {

const char* group_title(Group group) {
  switch (group) {
    case Group::set_up: return "Set up";
    case Group::build: return "Build";
    case Group::flash: return "Flash";
    case Group::recover: return "Recover";
    case Group::debug: return "Debug";
    case Group::files: return "Files";
    case Group::virtual_cameras: return "Virtual cameras";
    case Group::help: return "Help";
  }
  return "Other";
}

namespace {

// "sim gadget" names the subcommand gadget of sim.
CLI::App* find_command(CLI::App& root, const std::string& path) {
  CLI::App* app = &root;
  std::istringstream words(path);
  for (std::string word; words >> word;) {
    CLI::App* next = nullptr;
    for (auto* sub : app->get_subcommands({}))
      if (sub->get_name() == word) next = sub;
    if (!next) return nullptr;
    app = next;
  }
  return app == &root ? nullptr : app;
}

const char* first_steps =
    "First steps:\n"
    "  omv doctor                                       what this machine still needs, with fixes\n"
    "  omv sim start OPENMV4 --bus /tmp/bus             a virtual camera to try everything on\n"
    "  omv --sim /tmp/bus flash OPENMV4 --firmware firmware.bin\n"
    "\n"
    "'omv help COMMAND' shows a command's options and examples.";

}  // namespace

void arrange_help(CLI::App& root, const std::vector<Command>& commands) {
  for (const Command& command : commands) {
    CLI::App* app = find_command(root, command.name);
    if (!app) continue;
    if (app->get_parent() == &root) app->group(group_title(command.group));
    if (command.examples && *command.examples) app->footer(std::string("Examples:\n") + command.examples);
  }
  root.footer(first_steps);
}

}  // namespace omv::cli
