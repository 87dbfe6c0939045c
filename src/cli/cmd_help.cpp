// omv help [COMMAND]: the overview grouped by task, or one command's full help with examples.
#include <fmt/format.h>

#include "cli/command.h"
#include "core/error.h"
#include "core/text.h"

namespace omv::cli::cmd_help {
namespace {

// `omv help sim start` explains the subcommand start of sim.
void help(CLI::App& root, const std::vector<std::string>& path) {
  CLI::App* app = &root;
  std::string said = "omv";
  for (const std::string& word : path) {
    CLI::App* next = nullptr;
    std::vector<std::string> names;
    for (auto* sub : app->get_subcommands({})) {
      names.push_back(sub->get_name());
      if (sub->get_name() == word) next = sub;
    }
    if (!next) {
      auto close = nearest(word, names);
      fail(ErrorKind::usage, fmt::format("no command '{}' in {}", word, said),
           close.empty() ? fmt::format("run '{} --help' to list the commands", said)
                         : fmt::format("did you mean {}?", join(close, ", ")));
    }
    app = next;
    said += " " + word;
  }
  // The formatter, not app->help(): that one explains the selected subcommand, `help` itself.
  std::fputs(app->get_formatter()->make_help(app, said, CLI::AppFormatMode::Normal).c_str(), stdout);
}

// One "name<TAB>summary" line per command: what the man pages are generated from.
void list_commands(CLI::App& root) {
  for (const auto* sub : root.get_subcommands({})) fmt::print("{}\t{}\n", sub->get_name(), sub->get_description());
}

void setup_help(CLI::App& parent, Context&) {
  auto name = std::make_shared<std::vector<std::string>>();
  auto commands = std::make_shared<bool>(false);
  auto* cmd = parent.add_subcommand("help", "Show help for omv or one command");
  cmd->add_option("COMMAND", *name, "Command to explain (and its subcommand: 'omv help sim start')");
  cmd->add_flag("--commands", *commands, "List the commands, one 'NAME<TAB>SUMMARY' line each");
  CLI::App* root = &parent;
  cmd->callback([root, name, commands] { *commands ? list_commands(*root) : help(*root, *name); });
}

const Register help_registered{{"help", "Show help", setup_help, Group::help, 1000,
                                    "  omv help\n" "  omv help flash\n" "  omv help sim start\n"}};

}  // namespace
}  // namespace omv::cli::cmd_help
