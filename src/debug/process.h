#pragma once
// Child processes for the debug loop (GDB servers, QEMU, gdb), and the signals that end them.
//
// Every child dies with omv (platform/parent_death.h), servers run in their own process group so
// the terminal's Ctrl-C reaches gdb and omv but not them, and a Child's destructor stops
// whatever is still running. Exits arrive through pollable exit fds where the OS has them
// (pidfds; else short waitpid polls) and signals through platform::os::SignalWatch.
#include <sys/types.h>

#include <chrono>
#include <csignal>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "platform/signal_watch.h"

namespace omv::debug {

using Millis = std::chrono::milliseconds;

struct SpawnOptions {
  std::filesystem::path log;        // stdout and stderr written here (truncated first); empty: inherited
  bool stdout_to_stderr = false;    // with an empty log: the child's stdout goes to our stderr
  bool own_process_group = false;   // away from the terminal's Ctrl-C (servers)
  bool inherit_stdin = false;       // gdb needs the terminal; servers get /dev/null
};

class Child {
 public:
  // Starts argv[0] (a path, or a name looked up in PATH). Throws Error{missing_tool} when it
  // cannot be executed, with the reason the exec failed.
  static Child spawn(const std::vector<std::string>& argv, const SpawnOptions& options = {});

  Child() = default;
  Child(Child&& other) noexcept;
  Child& operator=(Child&& other) noexcept;
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;
  ~Child();

  pid_t pid() const { return pid_; }
  int pidfd() const { return pidfd_; }  // readable once the child has exited; -1 where the OS has none
  bool valid() const { return pid_ > 0; }
  // Reaps the child if it has exited; its status then stays available.
  bool running();
  // Exit code, or 128 + signal number; nullopt while running.
  std::optional<int> status() const { return status_; }
  // Waits for the exit, at most `timeout` (forever without one). Returns the status if it ended.
  std::optional<int> wait(std::optional<Millis> timeout = std::nullopt);
  // SIGTERM (to the group, for group leaders), then SIGKILL after `grace`; always reaps.
  void stop(Millis grace = Millis(1500));

 private:
  void reap(int wait_status);
  pid_t pid_ = -1;
  int pidfd_ = -1;
  int lifeline_ = -1;  // the write end of the pipe the child's watchdog waits on (POSIX)
  bool group_leader_ = false;
  std::optional<int> status_;
};

// SIGINT, SIGTERM and SIGHUP through a pollable fd while alive (platform/signal_watch.h).
using SignalWatch = platform::os::SignalWatch;

// What ended a wait.
struct WaitResult {
  enum class What { child_exited, signal, timeout } what = What::timeout;
  size_t child = 0;   // index into the children given, for child_exited
  int signal = 0;     // for signal
};

// Waits until one of `children` exits, a watched signal arrives, or `timeout` passes.
WaitResult wait_for(const std::vector<Child*>& children, SignalWatch* signals, std::optional<Millis> timeout);

}  // namespace omv::debug
