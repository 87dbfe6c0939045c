#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <initializer_list>

#include "platform/parent_death.h"

namespace omv::platform::posix_impl {
namespace {

bool cloexec_pipe(int fds[2]) {
  if (::pipe(fds) != 0) return false;
  for (int i = 0; i < 2; ++i) ::fcntl(fds[i], F_SETFD, FD_CLOEXEC);
  return true;
}

// How often the watchdog looks whether the child is still its parent.
constexpr int kWatchdogTickMs = 500;

[[noreturn]] void watchdog(int lifeline, pid_t target, bool group_leader) {
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) ::signal(sig, SIG_IGN);
  const long open_max = ::sysconf(_SC_OPEN_MAX);
  const long last = open_max <= 0 ? 1024 : (open_max > 65536 ? 65536 : open_max);
  for (int fd = 0; fd < last; ++fd)
    if (fd != lifeline) ::close(fd);
  for (;;) {
    if (::getppid() != target) ::_exit(0);  // the child has exited
    pollfd p{lifeline, POLLIN, 0};
    if (::poll(&p, 1, kWatchdogTickMs) <= 0) continue;
    char byte;
    if (::read(lifeline, &byte, 1) > 0) continue;  // nothing is ever written; only EOF matters
    if (::getppid() != target) ::_exit(0);
    ::kill(group_leader ? -target : target, SIGKILL);
    ::_exit(0);
  }
}

}  // namespace

Lifeline open_lifeline() {
  int fds[2];
  if (!cloexec_pipe(fds)) return {};
  return {fds[0], fds[1]};
}

void die_with_parent(const Lifeline& lifeline, pid_t parent, bool group_leader) {
  if (::getppid() != parent) ::_exit(127);  // omv is already gone
  if (lifeline.child_end < 0) return;       // no pipe: the child runs unguarded
  const pid_t self = ::getpid();
  const pid_t dog = ::fork();
  if (dog == 0) {
    ::close(lifeline.parent_end);
    watchdog(lifeline.child_end, self, group_leader);
  }
  ::close(lifeline.child_end);
  ::close(lifeline.parent_end);
}

void after_fork_in_parent(Lifeline& lifeline) {
  if (lifeline.child_end >= 0) ::close(lifeline.child_end);
  lifeline.child_end = -1;
}

}  // namespace omv::platform::posix_impl
