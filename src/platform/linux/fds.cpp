#include <fcntl.h>
#include <unistd.h>

#include "platform/fds.h"

namespace omv::platform::linux_impl {

int pipe_cloexec(int fds[2]) { return ::pipe2(fds, O_CLOEXEC); }

int socket_cloexec(int domain, int type, int protocol, bool nonblock) {
  return ::socket(domain, type | SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0), protocol);
}

int accept_cloexec(int listen_fd) { return ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC); }

ssize_t send_no_sigpipe(int fd, const void* data, size_t size) { return ::send(fd, data, size, MSG_NOSIGNAL); }

}  // namespace omv::platform::linux_impl
