#pragma once
// Reads the subset of GNU make that boards/*/board_config.mk files use: =, :=, ::=, ?=, +=,
// export/override, comments, line continuations, $(VAR)/${VAR} references to earlier variables,
// and conditionals it can decide. Anything it cannot evaluate is reported, never guessed.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace omv::boards {

struct MakeIssue {
  int line = 0;
  std::string message;
};

struct MakeFile {
  std::map<std::string, std::string> variables;   // fully or partially expanded values
  std::map<std::string, int> defined_at;          // variable -> line of its last assignment
  std::vector<MakeIssue> issues;                  // what could not be evaluated
  std::optional<std::string> error;               // text of a reached $(error ...)
  std::optional<int> error_line;

  const std::string* get(const std::string& name) const;
};

// `predefined` plays the role of variables set before the file is included (e.g. TARGET).
MakeFile read_make(const std::string& text, const std::map<std::string, std::string>& predefined = {});

}  // namespace omv::boards
