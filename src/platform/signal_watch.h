#pragma once
// SIGINT, SIGTERM and SIGHUP delivered through a pollable fd while a SignalWatch is alive, so a
// session can clean up on Ctrl-C. Linux blocks them and reads a signalfd; POSIX installs
// handlers that write the signal number into a self-pipe (one SignalWatch at a time). Either
// way children start with the default dispositions (exec resets handlers; debug::Child unblocks).
#include <signal.h>

#include <optional>

#include "platform/os.h"

namespace omv::platform {

#define OMV_PLATFORM_SIGNAL_WATCH                        \
  class SignalWatch {                                    \
   public:                                               \
    SignalWatch();                                       \
    ~SignalWatch();                                      \
    SignalWatch(const SignalWatch&) = delete;            \
    SignalWatch& operator=(const SignalWatch&) = delete; \
    int fd() const { return fd_; }                       \
    std::optional<int> take();                           \
                                                         \
   private:                                              \
    int fd_ = -1;                                        \
    /* each implementation uses some of these */         \
    [[maybe_unused]] int write_fd_ = -1;                 \
    [[maybe_unused]] sigset_t previous_mask_{};          \
    [[maybe_unused]] struct sigaction previous_[3] {};   \
  };
namespace linux_impl { OMV_PLATFORM_SIGNAL_WATCH }
namespace posix_impl { OMV_PLATFORM_SIGNAL_WATCH }
#undef OMV_PLATFORM_SIGNAL_WATCH

}  // namespace omv::platform
