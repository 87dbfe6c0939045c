#include <signal.h>

#include <cerrno>
#include <thread>

#include "platform/process_exit.h"

namespace omv::platform::posix_impl {

int exit_fd(pid_t) { return -1; }

bool wait_for_pid_exit(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    // A zombie still answers kill(pid, 0): the processes waited for here are not our children
    // (sim cameras are daemons), so init reaps them and ESRCH follows within a poll or two.
    if (::kill(pid, 0) != 0 && errno == ESRCH) return true;
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

}  // namespace omv::platform::posix_impl
