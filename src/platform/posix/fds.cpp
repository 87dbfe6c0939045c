#include <fcntl.h>
#include <unistd.h>

#include <cerrno>

#include "platform/fds.h"

namespace omv::platform::posix_impl {
namespace {

int set_cloexec(int fd, bool nonblock) {
  if (fd < 0) return fd;
  bool ok = ::fcntl(fd, F_SETFD, FD_CLOEXEC) == 0;
  if (ok && nonblock) ok = ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK) == 0;
#if defined(SO_NOSIGPIPE) && !defined(MSG_NOSIGNAL)
  int on = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, sizeof on);  // not a socket: harmless ENOTSOCK
#endif
  if (ok) return fd;
  const int err = errno;
  ::close(fd);
  errno = err;
  return -1;
}

}  // namespace

int pipe_cloexec(int fds[2]) {
  if (::pipe(fds) != 0) return -1;
  if (set_cloexec(fds[0], false) < 0) {
    ::close(fds[1]);
    return -1;
  }
  if (set_cloexec(fds[1], false) < 0) {
    ::close(fds[0]);
    return -1;
  }
  return 0;
}

int socket_cloexec(int domain, int type, int protocol, bool nonblock) {
  return set_cloexec(::socket(domain, type, protocol), nonblock);
}

int accept_cloexec(int listen_fd) { return set_cloexec(::accept(listen_fd, nullptr, nullptr), false); }

ssize_t send_no_sigpipe(int fd, const void* data, size_t size) {
#ifdef MSG_NOSIGNAL
  return ::send(fd, data, size, MSG_NOSIGNAL);
#else
  return ::send(fd, data, size, 0);  // SO_NOSIGPIPE was set when the socket was made
#endif
}

}  // namespace omv::platform::posix_impl
