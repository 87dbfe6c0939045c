#include "debug/vscode_merge.h"

#include <fmt/format.h>

#include "core/error.h"
#include "debug/jsonc.h"

namespace omv::debug {
namespace {

using ojson = nlohmann::ordered_json;

std::string new_file(const ojson& root) {
  jsonc::Style style;
  return jsonc::render(root, style, "") + style.newline;
}

const jsonc::Node& root_object(const jsonc::Node& root, const std::string& file_name) {
  if (root.kind != jsonc::Node::Kind::object)
    fail(ErrorKind::bad_file, fmt::format("{}: the top level is not an object", file_name),
         "fix the file, or move it away and run the command again");
  return root;
}

// The array `key` of the root, or nullptr when the root has no such member.
const jsonc::Node* root_array(const jsonc::Node& root, const std::string& key, const std::string& file_name) {
  const jsonc::Node* arr = root.member(key);
  if (arr && arr->kind != jsonc::Node::Kind::array)
    fail(ErrorKind::bad_file, fmt::format("{}: \"{}\" is not an array", file_name, key),
         "fix the file, or move it away and run the command again");
  return arr;
}

std::optional<size_t> find_entry(const jsonc::Node& arr, const std::string& id_key, const std::string& id) {
  for (size_t i = 0; i < arr.items.size(); ++i) {
    const auto& item = arr.items[i];
    if (item.kind != jsonc::Node::Kind::object) continue;
    const jsonc::Node* name = item.member(id_key);
    if (name && name->kind == jsonc::Node::Kind::string && name->string == id) return i;
  }
  return std::nullopt;
}

// Equal as JSON, whatever the order of the members.
bool same_content(const ojson& a, const ojson& b) {
  return nlohmann::json::parse(a.dump()) == nlohmann::json::parse(b.dump());
}

}  // namespace

MergeResult merge_entries(const std::optional<std::string>& existing, const std::string& file_name, const ojson& skeleton,
                          const std::string& array_key, const std::string& id_key, const std::vector<ojson>& entries,
                          bool force) {
  MergeResult result;
  if (!existing) {
    ojson root = skeleton;
    root[array_key] = ojson::array();
    for (const auto& e : entries) {
      root[array_key].push_back(e);
      result.added.push_back(e.value(id_key, ""));
    }
    result.text = new_file(root);
    return result;
  }
  std::string text = *existing;
  jsonc::Style style = jsonc::detect_style(text);
  for (const auto& entry : entries) {
    std::string id = entry.value(id_key, "");
    jsonc::Node root = jsonc::parse(text, file_name);
    root_object(root, file_name);
    const jsonc::Node* arr = root_array(root, array_key, file_name);
    if (!arr) {
      text = jsonc::add_member(text, root, array_key, ojson::array({entry}), style);
      result.added.push_back(id);
      continue;
    }
    auto at = find_entry(*arr, id_key, id);
    if (!at) {
      text = jsonc::append_item(text, *arr, entry, style);
      result.added.push_back(id);
    } else if (same_content(jsonc::to_json(arr->items[*at]), entry)) {
      result.unchanged.push_back(id);
    } else if (force) {
      text = jsonc::replace_value(text, arr->items[*at], entry, style);
      result.replaced.push_back(id);
    } else {
      result.conflicts.push_back(id);
    }
  }
  jsonc::parse(text, file_name);  // what omv wrote must parse
  result.text = text;
  return result;
}

MergeResult merge_strings(const std::optional<std::string>& existing, const std::string& file_name,
                          const std::string& array_key, const std::vector<std::string>& values) {
  MergeResult result;
  if (!existing) {
    ojson root;
    root[array_key] = values;
    result.added = values;
    result.text = new_file(root);
    return result;
  }
  std::string text = *existing;
  jsonc::Style style = jsonc::detect_style(text);
  for (const auto& v : values) {
    jsonc::Node root = jsonc::parse(text, file_name);
    root_object(root, file_name);
    const jsonc::Node* arr = root_array(root, array_key, file_name);
    if (!arr) {
      text = jsonc::add_member(text, root, array_key, ojson::array({v}), style);
      result.added.push_back(v);
      continue;
    }
    bool present = false;
    for (const auto& item : arr->items)
      if (item.kind == jsonc::Node::Kind::string && item.string == v) present = true;
    if (present) {
      result.unchanged.push_back(v);
      continue;
    }
    text = jsonc::append_item(text, *arr, v, style);
    result.added.push_back(v);
  }
  result.text = text;
  return result;
}

}  // namespace omv::debug
