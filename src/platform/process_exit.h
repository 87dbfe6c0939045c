#pragma once
// Knowing when a process has exited without sleeping a fixed time. Linux hands out a pidfd that
// poll() reports readable at the exit; POSIX has none, and callers fall back to short waitpid
// or kill(pid, 0) polls (what debug::Child does when exit_fd() is -1).
#include <sys/types.h>

#include <chrono>

#include "platform/os.h"

namespace omv::platform {

// exit_fd: a pollable fd for our child `pid` (close it), or -1 where the OS has none.
// wait_for_pid_exit: true once `pid` (any process, not necessarily ours) is gone, false on timeout.
#define OMV_PLATFORM_PROCESS_EXIT \
  int exit_fd(pid_t pid);         \
  bool wait_for_pid_exit(pid_t pid, std::chrono::milliseconds timeout);
namespace linux_impl { OMV_PLATFORM_PROCESS_EXIT }
namespace posix_impl { OMV_PLATFORM_PROCESS_EXIT }
#undef OMV_PLATFORM_PROCESS_EXIT

}  // namespace omv::platform
