#pragma once
// Running the tools a build needs (make, gcc, git, docker): with a changed environment, in a
// folder, either streaming their output to the terminal or capturing it.
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace omv::build {

struct ProcessOptions {
  std::filesystem::path cwd;                 // empty: inherit
  std::map<std::string, std::string> env;    // set (or, with an empty value under unset_empty, removed)
  std::vector<std::string> unset;            // variables to remove
  bool stdout_to_stderr = false;             // keep stdout for JSON lines
  bool capture = false;                      // collect stdout+stderr instead of streaming
  // With capture: each line of output as it arrives ('\n' and '\r' end a line, so progress bars
  // redrawn in place come line by line). Ctrl-C then goes to the child, as when streaming.
  std::function<void(const std::string&)> on_line;
  std::optional<std::chrono::milliseconds> timeout;  // capture only: kill after this long
};

struct ProcessResult {
  int exit_code = -1;      // 0..255, or 128+signal
  int signal = 0;          // the signal that ended it, if any
  bool timed_out = false;
  std::string output;      // stdout+stderr, when captured
};

// The first executable `name` in the colon-separated `path` (a name with a '/' is returned as is
// when executable).
std::optional<std::filesystem::path> find_on_path(const std::string& name, const std::string& path);
std::string current_path_env();

// Runs argv[0] looked up in the PATH the child will get. Throws Error{missing_tool} when it does
// not exist. While a streaming child runs, Ctrl-C goes to it (the terminal sends it to both) and
// omv waits for it to end.
ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& options = {});

// "make -C x TARGET=Y" for messages.
std::string command_line(const std::vector<std::string>& argv);

}  // namespace omv::build
