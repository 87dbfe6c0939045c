#include "debug/jsonc.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <optional>

#include "core/error.h"

namespace omv::debug::jsonc {
namespace {

constexpr int kMaxDepth = 256;

class Parser {
 public:
  Parser(std::string_view text, std::string name) : t_(text), name_(std::move(name)) {}

  Node parse_document() {
    if (t_.substr(0, 3) == "\xEF\xBB\xBF") i_ = 3;
    Node root = value();
    skip();
    if (i_ != t_.size()) error(i_, "unexpected text after the JSON value");
    return root;
  }

 private:
  [[noreturn]] void error(size_t at, const std::string& what) const {
    size_t line = 1, col = 1;
    for (size_t k = 0; k < at && k < t_.size(); ++k) {
      if (t_[k] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    fail(ErrorKind::bad_file, fmt::format("{}: line {}, column {}: {}", name_, line, col, what),
         "fix the file (it is JSON with comments), or move it away and run the command again");
  }

  bool at_end() const { return i_ >= t_.size(); }

  void skip() {
    while (!at_end()) {
      char c = t_[i_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        ++i_;
      } else if (c == '/' && i_ + 1 < t_.size() && t_[i_ + 1] == '/') {
        while (!at_end() && t_[i_] != '\n') ++i_;
      } else if (c == '/' && i_ + 1 < t_.size() && t_[i_ + 1] == '*') {
        size_t close = t_.find("*/", i_ + 2);
        if (close == std::string_view::npos) error(i_, "unterminated /* comment");
        i_ = close + 2;
      } else {
        return;
      }
    }
  }

  Node value() {
    skip();
    if (at_end()) error(i_, "expected a value, found the end of the file");
    char c = t_[i_];
    if (c == '{') return object();
    if (c == '[') return array();
    if (c == '"') return string();
    if (c == '-' || (c >= '0' && c <= '9')) return number();
    if (c == 't' || c == 'f' || c == 'n') return literal();
    error(i_, fmt::format("unexpected character '{}'", c));
  }

  void enter() {
    if (++depth_ > kMaxDepth) error(i_, "nested too deeply");
  }

  Node object() {
    enter();
    Node n;
    n.kind = Node::Kind::object;
    n.begin = i_++;
    for (;;) {
      skip();
      if (at_end()) error(i_, "unterminated object: expected '}'");
      if (t_[i_] == '}') break;
      if (t_[i_] != '"') error(i_, "expected a \"key\" or '}'");
      Node key = string();
      skip();
      if (at_end() || t_[i_] != ':') error(i_, "expected ':' after the key");
      ++i_;
      n.members.push_back(Member{key.string, key.begin, value()});
      skip();
      if (at_end()) error(i_, "unterminated object: expected '}'");
      if (t_[i_] == ',') {
        ++i_;
        continue;
      }
      if (t_[i_] != '}') error(i_, "expected ',' or '}'");
    }
    n.end = ++i_;
    --depth_;
    return n;
  }

  Node array() {
    enter();
    Node n;
    n.kind = Node::Kind::array;
    n.begin = i_++;
    for (;;) {
      skip();
      if (at_end()) error(i_, "unterminated array: expected ']'");
      if (t_[i_] == ']') break;
      n.items.push_back(value());
      skip();
      if (at_end()) error(i_, "unterminated array: expected ']'");
      if (t_[i_] == ',') {
        ++i_;
        continue;
      }
      if (t_[i_] != ']') error(i_, "expected ',' or ']'");
    }
    n.end = ++i_;
    --depth_;
    return n;
  }

  Node string() {
    Node n;
    n.kind = Node::Kind::string;
    n.begin = i_++;
    for (;;) {
      if (at_end()) error(n.begin, "unterminated string");
      char c = t_[i_];
      if (c == '"') break;
      if (static_cast<unsigned char>(c) < 0x20) error(i_, "control character in a string");
      i_ += c == '\\' ? 2 : 1;
    }
    n.end = ++i_;
    auto decoded = nlohmann::json::parse(t_.substr(n.begin, n.end - n.begin), nullptr, false);
    if (decoded.is_discarded() || !decoded.is_string()) error(n.begin, "bad escape in a string");
    n.string = decoded.get<std::string>();
    return n;
  }

  Node number() {
    Node n;
    n.kind = Node::Kind::number;
    n.begin = i_;
    while (!at_end() && std::string_view("+-0123456789.eE").find(t_[i_]) != std::string_view::npos) ++i_;
    n.end = i_;
    n.scalar = nlohmann::ordered_json::parse(t_.substr(n.begin, n.end - n.begin), nullptr, false);
    if (n.scalar.is_discarded() || !n.scalar.is_number()) error(n.begin, "bad number");
    return n;
  }

  Node literal() {
    Node n;
    n.begin = i_;
    for (auto [word, kind] : {std::pair{std::string_view("true"), Node::Kind::boolean},
                              std::pair{std::string_view("false"), Node::Kind::boolean},
                              std::pair{std::string_view("null"), Node::Kind::null}}) {
      if (t_.substr(i_, word.size()) == word) {
        n.kind = kind;
        if (kind == Node::Kind::boolean) n.scalar = word == "true";
        i_ += word.size();
        n.end = i_;
        return n;
      }
    }
    error(i_, "unexpected word (expected true, false or null)");
  }

  std::string_view t_;
  std::string name_;
  size_t i_ = 0;
  int depth_ = 0;
};

size_t line_start(std::string_view text, size_t pos) {
  size_t nl = pos == 0 ? std::string_view::npos : text.rfind('\n', pos - 1);
  return nl == std::string_view::npos ? 0 : nl + 1;
}

std::string line_indent(std::string_view text, size_t pos) {
  size_t start = line_start(text, pos);
  size_t k = start;
  while (k < text.size() && (text[k] == ' ' || text[k] == '\t')) ++k;
  return std::string(text.substr(start, k - start));
}

// The whitespace before `pos` on its line, if only whitespace precedes it there.
std::optional<std::string> indent_before(std::string_view text, size_t pos) {
  size_t start = line_start(text, pos);
  for (size_t k = start; k < pos; ++k)
    if (text[k] != ' ' && text[k] != '\t') return std::nullopt;
  return std::string(text.substr(start, pos - start));
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Inserts `entry` (already rendered for `item_indent`) as the last element of an object or array.
std::string append_entry(std::string_view text, const Node& container, size_t count, size_t first_begin,
                         size_t last_end, const std::function<std::string(const std::string&)>& render_at,
                         const Style& style) {
  std::string out(text);
  bool one_line = text.substr(container.begin, container.end - container.begin).find('\n') == std::string_view::npos;
  if (count > 0) {
    if (one_line) {
      std::string insertion = ", " + render_at("");
      return out.insert(last_end, insertion);
    }
    std::string indent = indent_before(text, first_begin).value_or(line_indent(text, container.begin) + style.unit);
    std::string insertion = "," + style.newline + indent + render_at(indent);
    return out.insert(last_end, insertion);
  }
  std::string base = line_indent(text, container.begin);
  std::string indent = base + style.unit;
  size_t close = container.end - 1;
  size_t ws = close;
  while (ws > container.begin + 1 && is_space(text[ws - 1])) --ws;
  std::string insertion = style.newline + indent + render_at(indent) + style.newline + base;
  return out.replace(ws, close - ws, insertion);
}

}  // namespace

const Node* Node::member(const std::string& key) const {
  for (auto it = members.rbegin(); it != members.rend(); ++it)
    if (it->key == key) return &it->value;
  return nullptr;
}

Node parse(std::string_view text, const std::string& name) { return Parser(text, name).parse_document(); }

nlohmann::ordered_json to_json(const Node& node) {
  switch (node.kind) {
    case Node::Kind::object: {
      nlohmann::ordered_json o = nlohmann::ordered_json::object();
      for (const auto& m : node.members) o[m.key] = to_json(m.value);
      return o;
    }
    case Node::Kind::array: {
      nlohmann::ordered_json a = nlohmann::ordered_json::array();
      for (const auto& v : node.items) a.push_back(to_json(v));
      return a;
    }
    case Node::Kind::string: return node.string;
    case Node::Kind::number:
    case Node::Kind::boolean: return node.scalar;
    case Node::Kind::null: return nullptr;
  }
  return nullptr;
}

Style detect_style(std::string_view text) {
  Style s;
  if (text.find("\r\n") != std::string_view::npos) s.newline = "\r\n";
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    size_t k = 0;
    while (k < line.size() && (line[k] == ' ' || line[k] == '\t')) ++k;
    if (k > 0 && k < line.size() && line[k] != '\r') {
      s.unit = line[0] == '\t' ? "\t" : std::string(k, ' ');
      break;
    }
    pos = end + 1;
  }
  return s;
}

std::string render(const nlohmann::ordered_json& value, const Style& style, const std::string& indent) {
  std::string dumped = style.unit == "\t" ? value.dump(1, '\t') : value.dump(static_cast<int>(style.unit.size()), ' ');
  std::string out;
  for (char c : dumped) {
    if (c == '\n') out += style.newline + indent;
    else out += c;
  }
  return out;
}

std::string replace_value(std::string_view text, const Node& node, const nlohmann::ordered_json& value, const Style& style) {
  std::string out(text);
  return out.replace(node.begin, node.end - node.begin, render(value, style, line_indent(text, node.begin)));
}

std::string append_item(std::string_view text, const Node& array, const nlohmann::ordered_json& value, const Style& style) {
  size_t first = array.items.empty() ? 0 : array.items.front().begin;
  size_t last = array.items.empty() ? 0 : array.items.back().end;
  return append_entry(text, array, array.items.size(), first, last,
                      [&](const std::string& indent) { return render(value, style, indent); }, style);
}

std::string add_member(std::string_view text, const Node& object, const std::string& key,
                       const nlohmann::ordered_json& value, const Style& style) {
  size_t first = object.members.empty() ? 0 : object.members.front().key_begin;
  size_t last = object.members.empty() ? 0 : object.members.back().value.end;
  std::string key_text = nlohmann::json(key).dump();
  return append_entry(text, object, object.members.size(), first, last,
                      [&](const std::string& indent) { return key_text + ": " + render(value, style, indent); }, style);
}

}  // namespace omv::debug::jsonc
