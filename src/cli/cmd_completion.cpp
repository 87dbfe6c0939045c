// omv completion bash|zsh|fish: a completion script made from the command tree itself, so it
// never falls behind. Completes commands, each command's options and subcommands, board TARGETs,
// and for --serial the serials of the cameras attached now (asked of `omv list --serials` when
// the user presses Tab, so the sim bus of OMV_SIM counts too).
#include <fmt/format.h>

#include <algorithm>

#include "cli/command.h"
#include "core/error.h"
#include "core/text.h"

namespace omv::cli::cmd_completion {
namespace {

struct Flag {
  std::string name;  // "--firmware"
  std::string description;
};

struct CompletedCommand {
  std::string name;
  std::string summary;
  std::vector<Flag> flags;                // its own and its subcommands'
  std::vector<std::string> subcommands;  // "start", "stop"...
  bool takes_target = false;              // a TARGET positional, here or in a subcommand
};

void collect(const CLI::App* app, CompletedCommand& into) {
  for (const auto* opt : app->get_options()) {
    if (opt->get_positional()) {
      if (opt->get_name() == "TARGET") into.takes_target = true;
      continue;
    }
    for (const auto& n : opt->get_lnames()) {
      bool seen = false;
      for (const auto& f : into.flags) seen = seen || f.name == "--" + n;
      if (!seen) into.flags.push_back({"--" + n, opt->get_description()});
    }
  }
}

std::vector<CompletedCommand> command_tree(const CLI::App& root) {
  std::vector<CompletedCommand> out;
  for (const auto* sub : root.get_subcommands({})) {
    CompletedCommand c{sub->get_name(), sub->get_description(), {}, {}, false};
    collect(sub, c);
    for (const auto* inner : sub->get_subcommands({})) {
      c.subcommands.push_back(inner->get_name());
      collect(inner, c);
    }
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<Flag> global_flags(const CLI::App& root) {
  CompletedCommand c;
  collect(&root, c);
  return c.flags;
}

// Text inside single quotes, for every shell here: ' becomes '\''.
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char ch : text) out += ch == '\'' ? std::string("'\\''") : std::string(1, ch);
  return out + "'";
}

std::string flag_names(const std::vector<Flag>& flags) {
  std::vector<std::string> names;
  for (const auto& f : flags) names.push_back(f.name);
  return join(names, " ");
}

std::string bash(const std::vector<CompletedCommand>& commands, const std::vector<Flag>& globals,
                 const std::string& targets) {
  std::string names, cases;
  for (const auto& c : commands) {
    names += c.name + " ";
    std::string words = join(c.subcommands, " ") + " " + flag_names(c.flags) + (c.takes_target ? " $targets" : "");
    cases += fmt::format("    {}) words=\"{}\" ;;\n", c.name, words);
  }
  return fmt::format(R"bash(# bash completion for omv: eval "$(omv completion bash)"
_omv() {{
  local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}} cmd="" i words
  local targets="{}"
  if [ "$prev" = --serial ]; then
    COMPREPLY=($(compgen -W "$(omv list --serials 2>/dev/null)" -- "$cur"))
    return
  fi
  for ((i = 1; i < COMP_CWORD; i++)); do
    case ${{COMP_WORDS[i]}} in
      --boards|--repo|--sim) ((i++)) ;;
      -*) ;;
      *) cmd=${{COMP_WORDS[i]}}; break ;;
    esac
  done
  if [ -z "$cmd" ]; then
    words="{}{}"
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
                     targets, names, flag_names(globals), cases, flag_names(globals));
}

// zsh: `_describe` for commands (with their summaries), `_arguments`-free lists per command
// so the script stays one function; loads with `compinit` from fpath or by sourcing.
std::string zsh(const std::vector<CompletedCommand>& commands, const std::vector<Flag>& globals,
                const std::string& targets) {
  // _describe reads "word:description"; a colon inside the description would end it early.
  auto described_as = [](const std::string& word, std::string description) {
    std::replace(description.begin(), description.end(), ':', ' ');
    return quoted(word + ":" + description);
  };
  std::string described, cases;
  for (const auto& c : commands) {
    described += "    " + described_as(c.name, c.summary) + "\n";
    std::string flags;
    for (const auto& f : c.flags) flags += " " + described_as(f.name, f.description);
    cases += fmt::format("    {})\n      local -a flags=({})\n      _describe -t options option flags\n", c.name, flags);
    if (!c.subcommands.empty()) cases += fmt::format("      compadd -- {}\n", join(c.subcommands, " "));
    if (c.takes_target) cases += "      compadd -- $targets\n";
    cases += "      ;;\n";
  }
  return fmt::format(R"zsh(#compdef omv
# zsh completion for omv: omv completion zsh > "${{fpath[1]}}/_omv" (then compinit), or source it.
_omv() {{
  local -a targets=({}) commands=(
{}  )
  if [[ ${{words[CURRENT-1]}} == --serial ]]; then
    compadd -- ${{(f)"$(omv list --serials 2>/dev/null)"}}
    return
  fi
  local cmd="" i
  for ((i = 2; i < CURRENT; i++)); do
    case ${{words[i]}} in
      --boards|--repo|--sim) ((i++)) ;;
      -*) ;;
      *) cmd=${{words[i]}}; break ;;
    esac
  done
  if [[ -z $cmd ]]; then
    _describe -t commands command commands
    compadd -- {}
    return
  fi
  case $cmd in
{}  esac
  compadd -- {}
}}
if [[ $funcstack[1] == _omv ]]; then _omv "$@"; else compdef _omv omv; fi
)zsh",
                     targets, described, flag_names(globals), cases, flag_names(globals));
}

std::string fish(const std::vector<CompletedCommand>& commands, const std::vector<Flag>& globals,
                 const std::string& targets) {
  std::string out =
      "# fish completion for omv: omv completion fish > ~/.config/fish/completions/omv.fish\n"
      "complete -c omv -f\n"
      "complete -c omv -l serial -x -a '(omv list --serials 2>/dev/null)' -d 'camera serial'\n";
  for (const auto& g : globals)
    out += fmt::format("complete -c omv -l {} -d {}\n", g.name.substr(2), quoted(g.description));
  for (const auto& c : commands) {
    out += fmt::format("complete -c omv -n __fish_use_subcommand -a {} -d {}\n", c.name, quoted(c.summary));
    std::string when = quoted("__fish_seen_subcommand_from " + c.name);
    for (const auto& f : c.flags) {
      if (f.name == "--serial") continue;
      out += fmt::format("complete -c omv -n {} -l {} -d {}\n", when, f.name.substr(2), quoted(f.description));
    }
    if (!c.subcommands.empty())
      out += fmt::format("complete -c omv -n {} -a {}\n", when, quoted(join(c.subcommands, " ")));
    if (c.takes_target) out += fmt::format("complete -c omv -n {} -a {} -d board\n", when, quoted(targets));
  }
  return out;
}

void completion(CLI::App& root, Context& ctx, const std::string& shell) {
  const auto commands = command_tree(root);
  const auto globals = global_flags(root);
  const std::string targets = join(ctx.boards().targets(), " ");
  if (shell == "bash") std::fputs(bash(commands, globals, targets).c_str(), stdout);
  else if (shell == "zsh") std::fputs(zsh(commands, globals, targets).c_str(), stdout);
  else if (shell == "fish") std::fputs(fish(commands, globals, targets).c_str(), stdout);
  else fail(ErrorKind::usage, fmt::format("no completion for the shell '{}'", shell), "the shells are bash, zsh and fish");
}

void setup(CLI::App& parent, Context& ctx) {
  auto shell = std::make_shared<std::string>("bash");
  auto* cmd = parent.add_subcommand("completion", "Print a shell completion script (bash, zsh, fish)");
  cmd->add_option("SHELL", *shell, "bash (default), zsh or fish");
  CLI::App* root = &parent;
  cmd->callback([root, &ctx, shell] { completion(*root, ctx, *shell); });
}

const Register registered{{"completion", "Shell completion: bash, zsh, fish", setup, Group::help, 1001,
                           "  eval \"$(omv completion bash)\"\n"
                           "  omv completion zsh > \"${fpath[1]}/_omv\"\n"
                           "  omv completion fish > ~/.config/fish/completions/omv.fish\n"}};

}  // namespace
}  // namespace omv::cli::cmd_completion
