#pragma once
// Every OS-specific call omv makes lives under src/platform, in two implementations with the
// same functions: linux_impl (inotify, pidfd, signalfd, PR_SET_PDEATHSIG, /proc, /sys,
// renameat2, termios2) and posix_impl (poll and scans, waitpid, a self-pipe, bind probes,
// rename-aside; what macOS and the BSDs have). The build picks one for omv with
// -DOMV_PLATFORM=linux|posix; on Linux both are compiled and unit-tested side by side.
// Callers use platform::os::..., never an implementation by name.

namespace omv::platform {
namespace linux_impl {}
namespace posix_impl {}

#if OMV_PLATFORM_POSIX
namespace os = posix_impl;
#else
namespace os = linux_impl;
#endif

}  // namespace omv::platform
