#include "boards/make_reader.h"

#include <fmt/format.h>

#include <cctype>
#include <set>

#include "core/text.h"

namespace omv::boards {
namespace {

struct LogicalLine {
  int number;
  std::string text;
};

// Joins backslash continuations (make folds the newline and surrounding blanks into one
// space) and strips comments outside of references.
std::vector<LogicalLine> logical_lines(const std::string& text) {
  std::vector<LogicalLine> out;
  std::string current;
  int start_line = 0, line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    std::string raw = text.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos);
    pos = nl == std::string::npos ? text.size() + 1 : nl + 1;
    ++line_no;
    if (!raw.empty() && raw.back() == '\r') raw.pop_back();
    if (current.empty()) start_line = line_no;
    bool continued = !raw.empty() && raw.back() == '\\';
    if (continued) raw.pop_back();
    if (!current.empty()) {
      while (!current.empty() && std::isspace(static_cast<unsigned char>(current.back()))) current.pop_back();
      current += ' ';
      raw = std::string(trim(raw));
    }
    current += raw;
    if (continued && pos <= text.size()) continue;
    // Strip a comment: '#' not escaped and not inside $( ).
    int depth = 0;
    for (size_t i = 0; i < current.size(); ++i) {
      char c = current[i];
      if (c == '\\' && i + 1 < current.size() && current[i + 1] == '#') { current.erase(i, 1); continue; }
      if (c == '$' && i + 1 < current.size() && (current[i + 1] == '(' || current[i + 1] == '{')) { ++depth; ++i; continue; }
      if ((c == ')' || c == '}') && depth > 0) { --depth; continue; }
      if (c == '#' && depth == 0) { current.resize(i); break; }
    }
    out.push_back({start_line, current});
    current.clear();
  }
  return out;
}

struct Var {
  std::string value;
  bool recursive = false;  // '=' keeps references until use
};

class Reader {
 public:
  explicit Reader(const std::map<std::string, std::string>& predefined) {
    for (const auto& [k, v] : predefined) vars_[k] = Var{v, false};
  }

  MakeFile run(const std::string& text) {
    for (const auto& line : logical_lines(text)) {
      line_ = line.number;
      process(std::string(trim(line.text)));
      if (result_.error) break;
    }
    if (!result_.error && !stack_.empty()) issue("conditional not closed by endif at end of file");
    for (const auto& [name, var] : vars_) {
      unresolved_.clear();
      result_.variables[name] = var.recursive ? expand(var.value) : var.value;
      auto at = result_.defined_at.find(name);
      line_ = at == result_.defined_at.end() ? 0 : at->second;
      for (const auto& u : unresolved_) issue(fmt::format("{}: {} left unexpanded", name, u));
    }
    return std::move(result_);
  }

 private:
  // One entry per open conditional: is the current branch active, and could we decide it.
  struct Cond {
    bool active;
    bool decided;
    bool any_taken;
  };

  bool active() const {
    for (const auto& c : stack_)
      if (!c.active) return false;
    return true;
  }
  bool skipped_by_decided_branch() const {
    for (const auto& c : stack_)
      if (c.decided && !c.active) return true;
    return false;
  }
  bool undecided() const {
    for (const auto& c : stack_)
      if (!c.decided) return true;
    return false;
  }

  void issue(std::string_view message) { result_.issues.push_back({line_, std::string(message)}); }

  void process(std::string s) {
    if (s.empty()) return;
    std::string word = s.substr(0, s.find_first_of(" \t("));
    if (word == "ifeq" || word == "ifneq" || word == "ifdef" || word == "ifndef") return open_conditional(word, s);
    if (word == "else") return else_branch(std::string(trim(s.substr(4))));
    if (word == "endif") {
      if (stack_.empty()) issue("endif without a matching if");
      else stack_.pop_back();
      return;
    }
    if (!active()) {
      if (!skipped_by_decided_branch() && s.find('=') != std::string::npos)
        issue(fmt::format("'{}' inside a conditional that could not be evaluated: not applied", s));
      return;
    }
    if (word == "include" || word == "-include" || word == "sinclude") {
      issue(fmt::format("'{}' not followed", s));
      return;
    }
    if (word == "export" || word == "override") {
      s = std::string(trim(s.substr(word.size())));
      if (s.find('=') == std::string::npos) return;  // bare "export VAR"
    }
    if (s.rfind("$(", 0) == 0 || s.rfind("${", 0) == 0) {
      if (undecided()) return;
      evaluate_call(s);
      return;
    }
    assignment(s);
  }

  void assignment(const std::string& s) {
    size_t eq = s.find('=');
    if (eq == std::string::npos) {
      if (s.find(':') != std::string::npos) issue(fmt::format("rule '{}' ignored", s));
      else issue(fmt::format("cannot read '{}'", s));
      return;
    }
    std::string op = "=";
    size_t name_end = eq;
    if (eq >= 1 && (s[eq - 1] == ':' || s[eq - 1] == '?' || s[eq - 1] == '+' || s[eq - 1] == '!')) {
      op = std::string(1, s[eq - 1]) + "=";
      name_end = eq - 1;
      if (op == ":=" && eq >= 2 && s[eq - 2] == ':') name_end = eq - 2;  // ::=
    }
    std::string name(trim(s.substr(0, name_end)));
    std::string value(trim(s.substr(eq + 1)));
    if (name.empty() || name.find_first_of(" \t$") != std::string::npos) {
      issue(fmt::format("cannot read assignment '{}'", s));
      return;
    }
    if (undecided()) {
      issue(fmt::format("{} {} ... inside a conditional that could not be evaluated: not applied", name, op));
      return;
    }
    if (op == "!=") {
      issue(fmt::format("{} != runs a shell command: not evaluated", name));
      return;
    }
    result_.defined_at[name] = line_;
    auto it = vars_.find(name);
    if (op == "?=") {
      if (it == vars_.end()) vars_[name] = Var{value, true};
    } else if (op == ":=") {
      vars_[name] = Var{expand_checked(value, name), false};
    } else if (op == "+=") {
      if (it == vars_.end()) {
        vars_[name] = Var{value, true};
      } else {
        // Appended in two steps: GCC 12 at -O3 misjudges the temporary of `" " + value` (-Wrestrict).
        std::string appended = it->second.recursive ? value : expand_checked(value, name);
        if (!it->second.value.empty()) it->second.value += ' ';
        it->second.value += appended;
      }
    } else {
      vars_[name] = Var{value, true};
    }
  }

  void evaluate_call(const std::string& s) {
    std::string fn = s.substr(2, s.find_first_of(" \t)}", 2) - 2);
    if (fn == "error") {
      std::string body = s.substr(2 + fn.size());
      if (!body.empty() && (body.back() == ')' || body.back() == '}')) body.pop_back();
      unresolved_.clear();
      std::string message(trim(expand(std::string(trim(body)))));
      if (message.size() >= 2 && message.front() == '"' && message.back() == '"')
        message = message.substr(1, message.size() - 2);
      result_.error = message;
      result_.error_line = line_;
    } else if (fn != "info" && fn != "warning") {
      issue(fmt::format("'{}' not evaluated", s));
    }
  }

  void open_conditional(const std::string& word, const std::string& s) {
    if (!active() || undecided()) {
      stack_.push_back({false, true, true});
      return;
    }
    std::string args(trim(s.substr(word.size())));
    std::optional<bool> truth;
    if (word == "ifdef" || word == "ifndef") {
      if (args.find('$') == std::string::npos) {
        auto it = vars_.find(args);
        bool defined = it != vars_.end() && !it->second.value.empty();
        // A variable this file never set may come from the command line or the Makefile.
        if (it != vars_.end()) truth = word == "ifdef" ? defined : !defined;
      }
    } else {
      auto parts = split_args(args);
      if (parts) {
        unresolved_.clear();
        std::string a = expand(parts->first), b = expand(parts->second);
        if (unresolved_.empty()) truth = word == "ifeq" ? a == b : a != b;
      }
    }
    if (!truth) {
      issue(fmt::format("cannot evaluate '{}': depends on variables this file does not set", s));
      stack_.push_back({false, false, false});
      return;
    }
    stack_.push_back({*truth, true, *truth});
  }

  void else_branch(const std::string& rest) {
    if (stack_.empty()) {
      issue("else without a matching if");
      return;
    }
    Cond& top = stack_.back();
    if (!top.decided) return;  // the whole chain stays undecided
    bool was_taken = top.any_taken;
    if (!rest.empty()) {
      // "else ifeq (...)": decide the nested test only if no earlier branch was taken.
      stack_.pop_back();
      if (was_taken) {
        stack_.push_back({false, true, true});
        return;
      }
      std::string word = rest.substr(0, rest.find_first_of(" \t("));
      open_conditional(word, rest);
      return;
    }
    top.active = !was_taken;
    top.any_taken = true;
  }

  static std::optional<std::pair<std::string, std::string>> split_args(const std::string& args) {
    if (args.size() >= 2 && args.front() == '(' && args.back() == ')') {
      std::string inner = args.substr(1, args.size() - 2);
      int depth = 0;
      for (size_t i = 0; i < inner.size(); ++i) {
        if (inner[i] == '(') ++depth;
        else if (inner[i] == ')') --depth;
        else if (inner[i] == ',' && depth == 0)
          return std::make_pair(std::string(trim(inner.substr(0, i))), std::string(trim(inner.substr(i + 1))));
      }
      return std::nullopt;
    }
    // ifeq "a" "b" / 'a' 'b'
    auto first_end = args.find(args.front(), 1);
    if ((args.front() == '"' || args.front() == '\'') && first_end != std::string::npos) {
      std::string a = args.substr(1, first_end - 1);
      std::string rest(trim(args.substr(first_end + 1)));
      if (rest.size() >= 2 && (rest.front() == '"' || rest.front() == '\'') && rest.back() == rest.front())
        return std::make_pair(a, rest.substr(1, rest.size() - 2));
    }
    return std::nullopt;
  }

  std::string expand_checked(const std::string& value, const std::string& name) {
    unresolved_.clear();
    std::string out = expand(value);
    for (const auto& u : unresolved_) issue(fmt::format("{}: {} left unexpanded", name, u));
    return out;
  }

  static constexpr size_t kMaxExpansion = 64 * 1024;

  // Expands $(VAR) and ${VAR}. Unknown variables and function calls are kept literally and
  // recorded in unresolved_ (make would substitute values this file cannot know).
  std::string expand(const std::string& value, int depth = 0) {
    if (depth > 32) {
      unresolved_.insert("(recursive reference)");
      return value;
    }
    std::string out;
    for (size_t i = 0; i < value.size(); ++i) {
      // Variables that each reference the next one twice double at every level: stop long
      // before that costs memory (no board_config.mk value comes near this).
      if (out.size() >= kMaxExpansion) {
        unresolved_.insert("(a value that expands past 64 KiB)");
        out.resize(kMaxExpansion);
        return out;
      }
      if (value[i] != '$' || i + 1 >= value.size()) {
        out += value[i];
        continue;
      }
      char open = value[i + 1];
      if (open == '$') {
        out += '$';
        ++i;
        continue;
      }
      if (open != '(' && open != '{') {
        std::string name(1, open);
        out += lookup(name, "$" + name, depth);
        ++i;
        continue;
      }
      char close = open == '(' ? ')' : '}';
      int level = 0;
      size_t j = i + 1;
      for (; j < value.size(); ++j) {
        if (value[j] == open) ++level;
        else if (value[j] == close && --level == 0) break;
      }
      if (j >= value.size()) {
        unresolved_.insert(value.substr(i));
        out += value.substr(i);
        break;
      }
      std::string inner = value.substr(i + 2, j - i - 2);
      std::string literal = value.substr(i, j - i + 1);
      if (inner.find_first_of(" \t,") != std::string::npos) {
        unresolved_.insert(literal);  // a function call such as $(shell ...) or $(wildcard ...)
        out += literal;
      } else {
        out += lookup(expand(inner, depth + 1), literal, depth);
      }
      i = j;
    }
    return out;
  }

  std::string lookup(const std::string& name, const std::string& literal, int depth) {
    auto it = vars_.find(name);
    if (it == vars_.end()) {
      unresolved_.insert(literal);
      return literal;
    }
    return it->second.recursive ? expand(it->second.value, depth + 1) : it->second.value;
  }

  std::map<std::string, Var> vars_;
  std::vector<Cond> stack_;
  std::set<std::string> unresolved_;
  MakeFile result_;
  int line_ = 0;
};

}  // namespace

const std::string* MakeFile::get(const std::string& name) const {
  auto it = variables.find(name);
  return it == variables.end() ? nullptr : &it->second;
}

MakeFile read_make(const std::string& text, const std::map<std::string, std::string>& predefined) {
  return Reader(predefined).run(text);
}

}  // namespace omv::boards
