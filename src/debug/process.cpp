#include "debug/process.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"
#include "platform/fds.h"
#include "platform/parent_death.h"
#include "platform/process_exit.h"

namespace omv::debug {
namespace {

int poll_timeout(std::optional<Millis> timeout) {
  if (!timeout) return -1;
  return static_cast<int>(std::max<Millis::rep>(0, timeout->count()));
}

// Runs in the forked child: only async-signal-safe calls until exec.
[[noreturn]] void exec_child(const std::vector<char*>& args, const SpawnOptions& options, int error_pipe, pid_t parent,
                             const platform::Lifeline& lifeline) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE, SIGQUIT}) signal(sig, SIG_DFL);
  if (options.own_process_group) setpgid(0, 0);
  platform::os::die_with_parent(lifeline, parent, options.own_process_group);
  if (!options.inherit_stdin) {
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0) dup2(devnull, 0);
  }
  if (!options.log.empty()) {
    int fd = open(options.log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      int err = errno;
      ssize_t ignored = write(error_pipe, &err, sizeof err);
      (void)ignored;
      _exit(127);
    }
    dup2(fd, 1);
    dup2(fd, 2);
  } else if (options.stdout_to_stderr) {
    dup2(2, 1);
  }
  execvp(args[0], args.data());
  int err = errno;
  ssize_t ignored = write(error_pipe, &err, sizeof err);
  (void)ignored;
  _exit(127);
}

}  // namespace

Child Child::spawn(const std::vector<std::string>& argv, const SpawnOptions& options) {
  if (argv.empty()) fail(ErrorKind::failure, "internal: empty command line");
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  int pipefd[2];
  if (platform::os::pipe_cloexec(pipefd) != 0) fail(ErrorKind::io, fmt::format("pipe: {}", std::strerror(errno)));
  platform::Lifeline lifeline = platform::os::open_lifeline();
  pid_t parent = getpid();
  pid_t pid = fork();
  if (pid < 0) {
    int err = errno;
    close(pipefd[0]);
    close(pipefd[1]);
    platform::os::after_fork_in_parent(lifeline);
    if (lifeline.parent_end >= 0) close(lifeline.parent_end);
    fail(ErrorKind::failure, fmt::format("cannot start {}: fork: {}", argv[0], std::strerror(err)));
  }
  if (pid == 0) exec_child(args, options, pipefd[1], parent, lifeline);

  close(pipefd[1]);
  platform::os::after_fork_in_parent(lifeline);
  if (options.own_process_group) setpgid(pid, pid);  // both sides set it: no race with kill(-pid)
  int exec_errno = 0;
  ssize_t n;
  do {
    n = read(pipefd[0], &exec_errno, sizeof exec_errno);
  } while (n < 0 && errno == EINTR);
  close(pipefd[0]);
  if (n == static_cast<ssize_t>(sizeof exec_errno)) {
    int status = 0;
    waitpid(pid, &status, 0);
    if (lifeline.parent_end >= 0) close(lifeline.parent_end);
    if (!options.log.empty() && exec_errno != ENOENT && exec_errno != EACCES)
      fail(ErrorKind::io, fmt::format("cannot start {}: {} (log {})", argv[0], std::strerror(exec_errno),
                                      options.log.string()));
    fail(ErrorKind::missing_tool, fmt::format("cannot run {}: {}", argv[0], std::strerror(exec_errno)));
  }
  Child child;
  child.pid_ = pid;
  child.pidfd_ = platform::os::exit_fd(pid);
  child.lifeline_ = lifeline.parent_end;
  child.group_leader_ = options.own_process_group;
  return child;
}

Child::Child(Child&& other) noexcept
    : pid_(other.pid_),
      pidfd_(other.pidfd_),
      lifeline_(other.lifeline_),
      group_leader_(other.group_leader_),
      status_(other.status_) {
  other.pid_ = -1;
  other.pidfd_ = -1;
  other.lifeline_ = -1;
}

Child& Child::operator=(Child&& other) noexcept {
  if (this != &other) {
    if (valid()) stop();
    if (pidfd_ >= 0) close(pidfd_);
    if (lifeline_ >= 0) close(lifeline_);
    pid_ = other.pid_;
    pidfd_ = other.pidfd_;
    lifeline_ = other.lifeline_;
    group_leader_ = other.group_leader_;
    status_ = other.status_;
    other.pid_ = -1;
    other.pidfd_ = -1;
    other.lifeline_ = -1;
  }
  return *this;
}

Child::~Child() {
  if (valid()) stop(Millis(500));
  if (pidfd_ >= 0) close(pidfd_);
  if (lifeline_ >= 0) close(lifeline_);
}

void Child::reap(int wait_status) {
  if (WIFEXITED(wait_status)) status_ = WEXITSTATUS(wait_status);
  else if (WIFSIGNALED(wait_status)) status_ = 128 + WTERMSIG(wait_status);
  else status_ = 1;
}

bool Child::running() {
  if (!valid() || status_) return false;
  int ws = 0;
  pid_t r = waitpid(pid_, &ws, WNOHANG);
  if (r == pid_) {
    reap(ws);
    return false;
  }
  if (r < 0 && errno == ECHILD) {
    status_ = 1;
    return false;
  }
  return true;
}

std::optional<int> Child::wait(std::optional<Millis> timeout) {
  if (!valid()) return status_;
  if (!running()) return status_;
  if (pidfd_ >= 0) {
    pollfd p{pidfd_, POLLIN, 0};
    int r;
    do {
      r = poll(&p, 1, poll_timeout(timeout));
    } while (r < 0 && errno == EINTR);
    if (r == 0) return std::nullopt;
    int ws = 0;
    if (waitpid(pid_, &ws, 0) == pid_) reap(ws);
    else status_ = 1;
    return status_;
  }
  // No exit fd (old kernel, or an OS without pidfds): poll the child's state.
  auto deadline = std::chrono::steady_clock::now() + timeout.value_or(Millis(24L * 3600 * 1000));
  while (running()) {
    if (std::chrono::steady_clock::now() >= deadline) return std::nullopt;
    poll(nullptr, 0, 10);
  }
  return status_;
}

void Child::stop(Millis grace) {
  if (!running()) return;
  pid_t target = group_leader_ ? -pid_ : pid_;
  ::kill(target, SIGTERM);
  if (!wait(grace)) {
    ::kill(target, SIGKILL);
    wait();
  } else if (group_leader_) {
    ::kill(target, SIGKILL);  // anything the leader left behind in its group
  }
}

WaitResult wait_for(const std::vector<Child*>& children, SignalWatch* signals, std::optional<Millis> timeout) {
  auto deadline = timeout ? std::optional(std::chrono::steady_clock::now() + *timeout) : std::nullopt;
  for (;;) {
    for (size_t i = 0; i < children.size(); ++i)
      if (children[i] && children[i]->valid() && !children[i]->running()) return {WaitResult::What::child_exited, i, 0};
    if (signals)
      if (auto sig = signals->take()) return {WaitResult::What::signal, 0, *sig};

    std::vector<pollfd> fds;
    bool need_tick = false;
    for (auto* c : children) {
      if (!c || !c->valid()) continue;
      if (c->pidfd() >= 0) fds.push_back({c->pidfd(), POLLIN, 0});
      else need_tick = true;
    }
    if (signals && signals->fd() >= 0) fds.push_back({signals->fd(), POLLIN, 0});
    int wait_ms = -1;
    if (deadline) {
      auto left = std::chrono::duration_cast<Millis>(*deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return {WaitResult::What::timeout, 0, 0};
      wait_ms = static_cast<int>(left.count());
    }
    if (need_tick && (wait_ms < 0 || wait_ms > 20)) wait_ms = 20;
    int r = poll(fds.data(), fds.size(), wait_ms);
    if (r < 0 && errno != EINTR) return {WaitResult::What::timeout, 0, 0};
  }
}

}  // namespace omv::debug
