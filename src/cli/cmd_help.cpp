// omv help [COMMAND], omv completion bash.
#include <fmt/format.h>

#include <set>

#include "cli/command.h"
#include "core/error.h"
#include "core/text.h"

namespace omv::cli {
namespace {

void help(CLI::App& root, const std::string& name) {
  if (name.empty()) {
    std::fputs(root.help().c_str(), stdout);
    return;
  }
  for (auto* sub : root.get_subcommands({})) {
    if (sub->get_name() == name) {
      std::fputs(sub->help().c_str(), stdout);
      return;
    }
  }
  std::vector<std::string> names;
  for (auto* sub : root.get_subcommands({})) names.push_back(sub->get_name());
  auto close = nearest(name, names);
  fail(ErrorKind::usage, fmt::format("no command '{}'", name),
       close.empty() ? "run 'omv help' to list the commands" : fmt::format("did you mean {}?", join(close, ", ")));
}

std::string words_of(const CLI::App* app) {
  std::vector<std::string> words;
  for (const auto* opt : app->get_options())
    for (const auto& n : opt->get_lnames()) words.push_back("--" + n);
  for (const auto* sub : app->get_subcommands({})) words.push_back(sub->get_name());
  return join(words, " ");
}

// A bash completion script: commands, each command's options, and TARGET names.
void completion(CLI::App& root, Context& ctx, const std::string& shell) {
  if (shell != "bash") fail(ErrorKind::unsupported, fmt::format("no completion for '{}'", shell), "only bash is supported");
  std::string cases;
  for (auto* sub : root.get_subcommands({}))
    cases += fmt::format("    {}) words=\"{}\" ;;\n", sub->get_name(), words_of(sub));
  std::string targets = join(ctx.boards().targets(), " ");
  fmt::print(R"bash(# bash completion for omv: eval "$(omv completion bash)"
_omv() {{
  local cur=${{COMP_WORDS[COMP_CWORD]}} cmd="" i words
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${{COMP_WORDS[i]}} in -*) ;; *) cmd=${{COMP_WORDS[i]}}; break ;; esac
  done
  if [ -z "$cmd" ]; then
    words="{}"
  else
    case $cmd in
{}    *) words="" ;;
    esac
    words="$words {}"
  fi
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}}
complete -o default -F _omv omv
)bash",
             words_of(&root), cases, targets);
}

void setup_help(CLI::App& parent, Context&) {
  auto name = std::make_shared<std::string>();
  auto* cmd = parent.add_subcommand("help", "Show help for omv or one command");
  cmd->add_option("COMMAND", *name, "Command to explain");
  CLI::App* root = &parent;
  cmd->callback([root, name] { help(*root, *name); });
}

void setup_completion(CLI::App& parent, Context& ctx) {
  auto shell = std::make_shared<std::string>("bash");
  auto* cmd = parent.add_subcommand("completion", "Print a shell completion script (bash)");
  cmd->add_option("SHELL", *shell, "Shell (bash)");
  CLI::App* root = &parent;
  cmd->callback([root, &ctx, shell] { completion(*root, ctx, *shell); });
}

const Register help_registered{{"help", "Show help", setup_help, 1000}};
const Register completion_registered{{"completion", "Shell completion", setup_completion, 1001}};

}  // namespace
}  // namespace omv::cli
