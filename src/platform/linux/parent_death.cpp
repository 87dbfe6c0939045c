#include <signal.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "platform/parent_death.h"

namespace omv::platform::linux_impl {

Lifeline open_lifeline() { return {}; }

void die_with_parent(const Lifeline&, pid_t parent, bool) {
  ::prctl(PR_SET_PDEATHSIG, SIGKILL);
  if (::getppid() != parent) ::_exit(127);  // omv died before prctl took effect
}

void after_fork_in_parent(Lifeline&) {}

}  // namespace omv::platform::linux_impl
