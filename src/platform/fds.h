#pragma once
// File descriptors that do not leak into the programs omv starts, and sends that do not raise
// SIGPIPE. Linux sets close-on-exec atomically (pipe2, SOCK_CLOEXEC, accept4) and has
// MSG_NOSIGNAL; the POSIX layer sets the flags right after creating the fd (macOS has none of
// the atomic forms; a fork in another thread in between is the window) and uses SO_NOSIGPIPE
// where MSG_NOSIGNAL is missing.
#include <sys/socket.h>
#include <sys/types.h>

#include <cstddef>

#include "platform/os.h"

namespace omv::platform {

// pipe_cloexec: pipe() with both ends close-on-exec; 0 or -1 with errno.
// socket_cloexec: socket() close-on-exec, and non-blocking when asked; the fd or -1.
// accept_cloexec: accept() of a close-on-exec connection; the fd or -1.
// send_no_sigpipe: send() that returns EPIPE instead of raising SIGPIPE.
#define OMV_PLATFORM_FDS                                                  \
  int pipe_cloexec(int fds[2]);                                           \
  int socket_cloexec(int domain, int type, int protocol, bool nonblock);  \
  int accept_cloexec(int listen_fd);                                      \
  ssize_t send_no_sigpipe(int fd, const void* data, size_t size);
namespace linux_impl { OMV_PLATFORM_FDS }
namespace posix_impl { OMV_PLATFORM_FDS }
#undef OMV_PLATFORM_FDS

}  // namespace omv::platform
