#pragma once
// Runs the real omv binary (or any program) as a user would, capturing its output.
#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace omv::test {

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

struct RunOptions {
  std::filesystem::path cwd;                       // empty: inherit
  std::map<std::string, std::string> env;          // added/overridden variables
  std::string stdin_text;
};

inline RunOptions in_dir(const std::filesystem::path& cwd) {
  RunOptions o;
  o.cwd = cwd;
  return o;
}

RunResult run(const std::vector<std::string>& argv, const RunOptions& options = {});
RunResult omv(const std::vector<std::string>& args, const RunOptions& options = {});

// A fresh temporary directory, removed when the object goes away.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

void write_file(const std::filesystem::path& path, const std::string& content);
std::string read_file(const std::filesystem::path& path);

}  // namespace omv::test
