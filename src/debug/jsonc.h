#pragma once
// JSON with comments (and trailing commas), as VS Code writes .vscode/*.json. The parser keeps
// every value's position in the text, so omv edits a file by replacing or inserting spans:
// comments, formatting and everything it does not touch stay exactly as they were.
#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace omv::debug::jsonc {

struct Member;

struct Node {
  enum class Kind { object, array, string, number, boolean, null };
  Kind kind = Kind::null;
  size_t begin = 0;  // [begin, end) of the value in the text
  size_t end = 0;
  std::string string;             // decoded, for strings
  nlohmann::ordered_json scalar;  // numbers and booleans
  std::vector<Member> members;    // objects, in file order
  std::vector<Node> items;        // arrays

  const Node* member(const std::string& key) const;  // the last one with that key
};

struct Member {
  std::string key;
  size_t key_begin = 0;  // where the member starts in the text (its opening quote)
  Node value;
};

// Throws Error{bad_file} "<name>: line L, column C: <what>".
Node parse(std::string_view text, const std::string& name);

// The value as plain JSON (comments dropped; for duplicate keys the last wins).
nlohmann::ordered_json to_json(const Node& node);

struct Style {
  std::string unit = "    ";   // one level of indentation
  std::string newline = "\n";
};
// The indentation unit and line ending the file already uses (VS Code's default otherwise).
Style detect_style(std::string_view text);

// `value` pretty-printed in `style`, its continuation lines starting at `indent`.
std::string render(const nlohmann::ordered_json& value, const Style& style, const std::string& indent);

// Edits; each returns the new text. Nodes must come from parsing `text`.
std::string replace_value(std::string_view text, const Node& node, const nlohmann::ordered_json& value, const Style& style);
std::string append_item(std::string_view text, const Node& array, const nlohmann::ordered_json& value, const Style& style);
std::string add_member(std::string_view text, const Node& object, const std::string& key,
                       const nlohmann::ordered_json& value, const Style& style);

}  // namespace omv::debug::jsonc
