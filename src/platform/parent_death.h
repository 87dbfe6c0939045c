#pragma once
// Children that die with omv, even when omv is killed with SIGKILL.
//
// Linux: the child asks for PR_SET_PDEATHSIG before exec. POSIX has no such request, so before
// exec the child forks a small watchdog that holds the read end of a "lifeline" pipe whose only
// write end stays in omv. When omv dies (however it dies) the kernel closes that end, the
// watchdog reads end-of-file and SIGKILLs the child (its group when the child leads one). The
// watchdog is the child's own child: once the child has exited it is reparented, sees
// getppid() change and leaves, so it never kills a recycled pid. It ignores the terminal's
// signals and closes every other fd, so it holds no pipe or terminal of the child open.
// A process omv forks without exec while a lifeline is open (the sim launcher's daemon) keeps a
// copy of the write end, and the watchdog then waits for that process too.
#include <sys/types.h>

#include "platform/os.h"

namespace omv::platform {

struct Lifeline {
  int child_end = -1;   // read end: used in the child only
  int parent_end = -1;  // write end: omv keeps it open while the child may run
};

// open_lifeline: before fork (Linux: nothing to open).
// die_with_parent: in the forked child before exec; async-signal-safe; exits when `parent` is
//   already gone.
// after_fork_in_parent: closes the child's end; omv closes parent_end once the child is reaped.
#define OMV_PLATFORM_PARENT_DEATH                                                    \
  Lifeline open_lifeline();                                                          \
  void die_with_parent(const Lifeline& lifeline, pid_t parent, bool group_leader); \
  void after_fork_in_parent(Lifeline& lifeline);
namespace linux_impl { OMV_PLATFORM_PARENT_DEATH }
namespace posix_impl { OMV_PLATFORM_PARENT_DEATH }
#undef OMV_PLATFORM_PARENT_DEATH

}  // namespace omv::platform
