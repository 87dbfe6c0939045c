#pragma once
// Merging omv's entries into .vscode files that may already exist, written by hand, with
// comments: other entries and every comment are kept; an entry of the same name is replaced
// only when forced; a file omv cannot parse is refused, never rewritten.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace omv::debug {

struct MergeResult {
  std::string text;                     // the new file contents
  std::vector<std::string> added;       // entry names
  std::vector<std::string> replaced;
  std::vector<std::string> unchanged;
  std::vector<std::string> conflicts;   // same name, different content, not forced (text not changed for them)
  bool changed() const { return !added.empty() || !replaced.empty(); }
};

// Merges `entries` into the array `array_key` of the root object, matching entries by the string
// member `id_key` ("name" in launch.json, "label" in tasks.json). `skeleton` holds the root's other
// members for a new file ({"version": "0.2.0"}). Throws Error{bad_file} for a file that is not
// JSON with comments, or whose root or array has the wrong type.
MergeResult merge_entries(const std::optional<std::string>& existing, const std::string& file_name,
                          const nlohmann::ordered_json& skeleton, const std::string& array_key, const std::string& id_key,
                          const std::vector<nlohmann::ordered_json>& entries, bool force);

// Adds the strings missing from the array `array_key` (extensions.json "recommendations").
MergeResult merge_strings(const std::optional<std::string>& existing, const std::string& file_name,
                          const std::string& array_key, const std::vector<std::string>& values);

}  // namespace omv::debug
