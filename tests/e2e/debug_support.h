#pragma once
// Helpers for the debug-loop end-to-end tests: the demo firmware built once per test run, virtual
// camera memories, a background omv whose output can be awaited, and small process checks.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "support/run.h"

namespace omv::test::debugloop {

namespace fs = std::filesystem;

inline fs::path source_dir() { return fs::path(OMV_SOURCE_DIR); }
inline fs::path stand_ins() { return source_dir() / "tests" / "fixtures" / "stand-ins"; }

// A copy of examples/firmware (sources only) in `dir`.
inline void copy_firmware(const fs::path& dir) {
  fs::path src = source_dir() / "examples" / "firmware";
  fs::create_directories(dir);
  for (const auto& entry : fs::directory_iterator(src)) {
    std::string name = entry.path().filename().string();
    if (name == "build" || name == ".vscode") continue;
    fs::copy(entry.path(), dir / name, fs::copy_options::recursive);
  }
}

// Builds one target of the firmware copy in `dir`; fails the test with make's output otherwise.
inline void build_firmware(const fs::path& dir, const std::string& target, bool debug) {
  auto r = run({"make", "-C", dir.string(), "TARGET=" + target, debug ? "DEBUG=1" : "DEBUG=0", "-j2"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
}

// The demo firmware, copied and built DEBUG=1 for both emulated boards once per test binary.
inline const fs::path& built_firmware() {
  static TempDir dir;
  static bool built = false;
  if (!built) {
    copy_firmware(dir.path());
    build_firmware(dir.path(), "MPS2_AN500", true);
    build_firmware(dir.path(), "MPS3_AN547", true);
    built = true;
  }
  return dir.path();
}

inline fs::path elf_of(const fs::path& checkout, const std::string& target) {
  return checkout / "build" / target / "bin" / "firmware.elf";
}

// The 1-based line of `marker` in `file`.
inline int line_of(const fs::path& file, const std::string& marker) {
  std::ifstream in(file);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n)
    if (line.find(marker) != std::string::npos) return n;
  ADD_FAILURE() << marker << " not in " << file;
  return 0;
}

// A virtual camera's memory as `omv flash` leaves it: `image` at `offset`, the rest erased.
inline void write_camera(const fs::path& bus, const std::string& serial, const std::string& target,
                         const std::string& memory, size_t size, const fs::path& image, size_t offset = 0) {
  fs::create_directories(bus / serial);
  std::string bytes(size, '\xFF');
  if (!image.empty()) {
    std::string data = read_file(image);
    bytes.replace(offset, data.size(), data);
  }
  write_file(bus / serial / (memory + ".bin"), bytes);
  write_file(bus / serial / "device.json", "{\"serial\": \"" + serial + "\", \"target\": \"" + target + "\"}\n");
}

inline bool process_alive(pid_t pid) {
  if (pid <= 0) return false;
  if (kill(pid, 0) != 0) return false;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string s;
  std::getline(stat, s);
  auto close = s.rfind(')');
  return close == std::string::npos || close + 2 >= s.size() || s[close + 2] != 'Z';
}

// The pid in omv's last "started <server> (pid N)" line: when the port was taken as the server
// started, omv starts it again on another port, and the first one has exited.
inline pid_t started_pid(const std::string& err) {
  static const std::regex started(R"(started [^(]+\(pid (\d+)\))");
  pid_t pid = 0;
  for (std::sregex_iterator it(err.begin(), err.end(), started), end; it != end; ++it) pid = std::stoi((*it)[1]);
  return pid;
}

// omv running in the background, its stderr collected as it arrives.
class Background {
 public:
  Background(const std::vector<std::string>& args, const std::map<std::string, std::string>& env = {}) {
    int err_pipe[2];
    if (pipe(err_pipe) != 0) throw std::runtime_error("pipe");
    pid_ = fork();
    if (pid_ == 0) {
      int devnull = open("/dev/null", O_RDWR);
      dup2(devnull, 0);
      dup2(devnull, 1);
      dup2(err_pipe[1], 2);
      close(err_pipe[0]);
      close(err_pipe[1]);
      setenv("NO_COLOR", "1", 1);
      for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
      std::vector<std::string> argv{OMV_BINARY};
      argv.insert(argv.end(), args.begin(), args.end());
      std::vector<char*> cargs;
      for (auto& a : argv) cargs.push_back(a.data());
      cargs.push_back(nullptr);
      execv(cargs[0], cargs.data());
      _exit(127);
    }
    close(err_pipe[1]);
    fd_ = err_pipe[0];
  }
  ~Background() {
    if (pid_ > 0 && !status_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
    if (fd_ >= 0) close(fd_);
  }
  // Reads stderr until `pattern` matches (returns the match) or `seconds` pass.
  std::optional<std::smatch> await(const std::string& pattern, int seconds = 30) {
    std::regex re(pattern);
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
    for (;;) {
      std::smatch m;
      if (std::regex_search(err_, m, re)) return m;
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || fd_ < 0) return std::nullopt;
      pollfd p{fd_, POLLIN, 0};
      if (poll(&p, 1, static_cast<int>(left.count())) <= 0) continue;
      char buf[4096];
      ssize_t n = read(fd_, buf, sizeof buf);
      if (n <= 0) {
        close(fd_);
        fd_ = -1;
      } else {
        err_.append(buf, static_cast<size_t>(n));
      }
    }
  }
  void signal(int sig) { kill(pid_, sig); }
  // Waits for the exit and drains stderr; returns the exit code (128+signal when killed).
  int wait() {
    while (fd_ >= 0) await("$^never", 60);
    int st = 0;
    waitpid(pid_, &st, 0);
    status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return *status_;
  }
  const std::string& err() const { return err_; }
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int fd_ = -1;
  std::string err_;
  std::optional<int> status_;
};

}  // namespace omv::test::debugloop
