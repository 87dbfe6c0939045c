#include "build/process.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "core/error.h"
#include "platform/fds.h"

extern char** environ;

namespace omv::build {
namespace fs = std::filesystem;

std::string current_path_env() {
  const char* p = std::getenv("PATH");
  return p ? p : "/usr/local/bin:/usr/bin:/bin";
}

std::optional<fs::path> find_on_path(const std::string& name, const std::string& path) {
  auto executable = [](const fs::path& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(p.c_str(), X_OK) == 0;
  };
  if (name.find('/') != std::string::npos) return executable(name) ? std::optional<fs::path>(name) : std::nullopt;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t next = path.find(':', pos);
    if (next == std::string::npos) next = path.size();
    std::string dir = path.substr(pos, next - pos);
    fs::path candidate = fs::path(dir.empty() ? "." : dir) / name;
    if (executable(candidate)) return candidate;
    pos = next + 1;
  }
  return std::nullopt;
}

std::string command_line(const std::vector<std::string>& argv) {
  std::string out;
  for (const auto& a : argv) {
    if (!out.empty()) out.push_back(' ');
    bool plain = !a.empty() && a.find_first_of(" \t\"'$\\;&|<>()*?") == std::string::npos;
    out += plain ? a : "'" + a + "'";
  }
  return out;
}

namespace {

std::vector<std::string> child_environment(const ProcessOptions& o) {
  std::vector<std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string entry(*e);
    std::string key = entry.substr(0, entry.find('='));
    if (o.env.count(key)) continue;
    bool removed = false;
    for (const auto& u : o.unset) removed |= (u == key);
    if (!removed) env.push_back(entry);
  }
  for (const auto& [k, v] : o.env) env.push_back(k + "=" + v);
  return env;
}

class SignalsToChild {
 public:
  SignalsToChild() {
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGINT, &ignore, &old_int_);
    sigaction(SIGQUIT, &ignore, &old_quit_);
  }
  ~SignalsToChild() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGQUIT, &old_quit_, nullptr);
  }
  SignalsToChild(const SignalsToChild&) = delete;
  SignalsToChild& operator=(const SignalsToChild&) = delete;

 private:
  struct sigaction old_int_ {};
  struct sigaction old_quit_ {};
};

}  // namespace

ProcessResult run_process(const std::vector<std::string>& argv, const ProcessOptions& o) {
  if (argv.empty()) fail(ErrorKind::failure, "run_process: no command");
  auto env = child_environment(o);
  std::string path = current_path_env();
  if (auto it = o.env.find("PATH"); it != o.env.end()) path = it->second;
  auto exe = find_on_path(argv[0], path);
  if (!exe) fail(ErrorKind::missing_tool, fmt::format("'{}' not found on PATH", argv[0]));

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGINT);
  sigaddset(&defaults, SIGQUIT);
  sigaddset(&defaults, SIGPIPE);
  sigaddset(&defaults, SIGTERM);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  sigset_t none;
  sigemptyset(&none);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);
  int pipe_fds[2] = {-1, -1};
  if (o.capture) {
    if (platform::os::pipe_cloexec(pipe_fds) != 0) fail(ErrorKind::io, "pipe failed");
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 1);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], 2);
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  } else if (o.stdout_to_stderr) {
    posix_spawn_file_actions_adddup2(&actions, 2, 1);
  }
  if (!o.cwd.empty()) posix_spawn_file_actions_addchdir_np(&actions, o.cwd.c_str());

  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  std::vector<char*> envp;
  for (auto& e : env) envp.push_back(e.data());
  envp.push_back(nullptr);

  std::optional<SignalsToChild> forward;
  if (!o.capture || o.on_line) forward.emplace();
  pid_t pid = -1;
  int rc = posix_spawn(&pid, exe->c_str(), &actions, &attr, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (o.capture) ::close(pipe_fds[1]);
  if (rc != 0) {
    if (o.capture) ::close(pipe_fds[0]);
    fail(ErrorKind::missing_tool, fmt::format("cannot run {}: {}", exe->string(), std::strerror(rc)));
  }

  ProcessResult result;
  std::string partial;  // the line being received, for on_line
  auto take_lines = [&](std::string_view chunk) {
    for (char c : chunk) {
      const bool ends_line = c == '\n' || c == '\r';
      if (ends_line || partial.size() >= 4096) {  // a line without end is passed on in pieces
        if (!partial.empty()) o.on_line(partial);
        partial.clear();
      }
      if (!ends_line) partial.push_back(c);
    }
  };
  if (o.capture) {
    auto deadline = o.timeout ? std::chrono::steady_clock::now() + *o.timeout : std::chrono::steady_clock::time_point::max();
    char buf[8192];
    for (;;) {
      int wait_ms = -1;
      if (o.timeout) {
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) {
          kill(pid, SIGKILL);
          result.timed_out = true;
          break;
        }
        wait_ms = static_cast<int>(left.count());
      }
      pollfd p{pipe_fds[0], POLLIN, 0};
      int n = poll(&p, 1, wait_ms);
      if (n < 0 && errno == EINTR) continue;
      if (n == 0) continue;
      ssize_t got = ::read(pipe_fds[0], buf, sizeof buf);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) break;
      if (result.output.size() < (1u << 20)) result.output.append(buf, static_cast<size_t>(got));
      if (o.on_line) take_lines(std::string_view(buf, static_cast<size_t>(got)));
    }
    ::close(pipe_fds[0]);
    if (o.on_line && !partial.empty()) o.on_line(partial);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) {
    result.exit_code = WEXITSTATUS(status);
  } else if (WIFSIGNALED(status)) {
    result.signal = WTERMSIG(status);
    result.exit_code = 128 + result.signal;
  }
  return result;
}

}  // namespace omv::build
