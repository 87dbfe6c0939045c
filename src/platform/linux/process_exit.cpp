#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "platform/process_exit.h"

namespace omv::platform::linux_impl {

int exit_fd(pid_t pid) {
#ifdef SYS_pidfd_open
  return static_cast<int>(::syscall(SYS_pidfd_open, pid, 0));
#else
  (void)pid;
  return -1;
#endif
}

bool wait_for_pid_exit(pid_t pid, std::chrono::milliseconds timeout) {
  const int fd = exit_fd(pid);
  if (fd < 0) return ::kill(pid, 0) != 0;  // already gone (ESRCH)
  pollfd p{fd, POLLIN, 0};
  const int r = ::poll(&p, 1, static_cast<int>(timeout.count()));
  ::close(fd);
  return r > 0;
}

}  // namespace omv::platform::linux_impl
