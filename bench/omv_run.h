#pragma once
// Running the omv binary from a benchmark: its stdout, exit code, wall time and the CPU time
// (user + system) it used. Shared by the benchmarks that time omv commands one by one.
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace omv::bench {

struct Run {
  int exit_code = -1;
  std::string out;
  double wall_s = 0;
  double cpu_s = 0;
};

inline double child_cpu() {
  rusage ru{};
  getrusage(RUSAGE_CHILDREN, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

inline Run run_omv(const std::vector<std::string>& args) {
  const std::string out_file = std::filesystem::temp_directory_path() / ("omv-bench-out-" + std::to_string(getpid()));
  const double cpu0 = child_cpu();
  std::fflush(nullptr);  // the child must not inherit (and write out again) unflushed output
  const auto t0 = std::chrono::steady_clock::now();
  pid_t pid = fork();
  if (pid == 0) {
    if (!std::freopen(out_file.c_str(), "w", stdout)) _exit(126);
    if (!std::freopen("/dev/null", "w", stderr)) _exit(126);
    std::vector<char*> argv{const_cast<char*>(OMV_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(OMV_BINARY, argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  Run r;
  r.wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  r.cpu_s = child_cpu() - cpu0;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  std::ifstream in(out_file);
  std::stringstream ss;
  ss << in.rdbuf();
  r.out = ss.str();
  std::filesystem::remove(out_file);
  return r;
}

// A step the benchmark cannot go on without: on failure, print omv's output and exit.
inline void must(const Run& r, const char* what) {
  if (r.exit_code == 0) return;
  std::fprintf(stderr, "%s failed (exit %d)\n%s\n", what, r.exit_code, r.out.c_str());
  std::exit(1);
}

}  // namespace omv::bench
