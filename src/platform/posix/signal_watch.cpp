#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "platform/signal_watch.h"

namespace omv::platform::posix_impl {
namespace {

constexpr int kWatched[3] = {SIGINT, SIGTERM, SIGHUP};
volatile sig_atomic_t g_self_pipe = -1;

void on_signal(int sig) {
  const int saved = errno;
  const unsigned char byte = static_cast<unsigned char>(sig);
  if (g_self_pipe >= 0) {
    ssize_t ignored = ::write(g_self_pipe, &byte, 1);
    (void)ignored;
  }
  errno = saved;
}

}  // namespace

SignalWatch::SignalWatch() {
  int fds[2];
  if (::pipe(fds) != 0) return;
  for (int fd : fds) {
    ::fcntl(fd, F_SETFD, FD_CLOEXEC);
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  }
  fd_ = fds[0];
  write_fd_ = fds[1];
  g_self_pipe = write_fd_;
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = SA_RESTART;
  for (int i = 0; i < 3; ++i) sigaction(kWatched[i], &sa, &previous_[i]);
}

SignalWatch::~SignalWatch() {
  if (fd_ < 0) return;
  for (int i = 0; i < 3; ++i) sigaction(kWatched[i], &previous_[i], nullptr);
  g_self_pipe = -1;
  ::close(fd_);
  ::close(write_fd_);
}

std::optional<int> SignalWatch::take() {
  if (fd_ < 0) return std::nullopt;
  unsigned char byte = 0;
  if (::read(fd_, &byte, 1) != 1) return std::nullopt;
  return static_cast<int>(byte);
}

}  // namespace omv::platform::posix_impl
