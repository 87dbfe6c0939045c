#include <sys/signalfd.h>
#include <unistd.h>

#include "platform/signal_watch.h"

namespace omv::platform::linux_impl {
namespace {

sigset_t watched_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  return set;
}

}  // namespace

SignalWatch::SignalWatch() {
  sigset_t set = watched_signals();
  sigprocmask(SIG_BLOCK, &set, &previous_mask_);
  fd_ = signalfd(-1, &set, SFD_NONBLOCK | SFD_CLOEXEC);
}

SignalWatch::~SignalWatch() {
  if (fd_ >= 0) ::close(fd_);
  // Signals that arrived while blocked are dropped: they were handled through the fd.
  sigset_t set = watched_signals();
  struct timespec zero {};
  while (sigtimedwait(&set, nullptr, &zero) > 0) {
  }
  sigprocmask(SIG_SETMASK, &previous_mask_, nullptr);
}

std::optional<int> SignalWatch::take() {
  if (fd_ < 0) return std::nullopt;
  signalfd_siginfo info{};
  ssize_t n = ::read(fd_, &info, sizeof info);
  if (n != static_cast<ssize_t>(sizeof info)) return std::nullopt;
  return static_cast<int>(info.ssi_signo);
}

}  // namespace omv::platform::linux_impl
