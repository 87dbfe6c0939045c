#include "protocol/gdb/tcp_stream.h"

#include <fmt/format.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"
#include "platform/fds.h"

namespace omv::protocol::gdb {
namespace {

constexpr const char* kStartServerHint =
    "start the server, or `omv debug --no-gdb` (it starts the board's GDB server and prints where it listens)";

class TcpStream : public ByteStream {
 public:
  TcpStream(int fd, std::string name) : fd_(fd), name_(std::move(name)) {}
  ~TcpStream() override { ::close(fd_); }
  std::string describe() const override { return name_; }

  void write(std::span<const uint8_t> data) override {
    size_t done = 0;
    while (done < data.size()) {
      ssize_t n = platform::os::send_no_sigpipe(fd_, data.data() + done, data.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0)
        fail(ErrorKind::no_device, fmt::format("GDB server at {}: connection lost while sending ({})", name_,
                                               std::strerror(errno)),
             "check that the server is still running; run the command again to finish");
      done += static_cast<size_t>(n);
    }
  }

  size_t read(std::span<uint8_t> data, Millis timeout) override {
    pollfd p{fd_, POLLIN, 0};
    int r;
    do r = ::poll(&p, 1, static_cast<int>(timeout.count()));
    while (r < 0 && errno == EINTR);
    if (r == 0) return 0;
    ssize_t n;
    do n = ::recv(fd_, data.data(), data.size(), 0);
    while (n < 0 && errno == EINTR);
    if (n <= 0)
      fail(ErrorKind::no_device,
           fmt::format("GDB server at {} closed the connection{}", name_,
                       n < 0 ? fmt::format(" ({})", std::strerror(errno)) : std::string()),
           "check that the server is still running (and that no other debugger is connected); run the command again to finish");
    return static_cast<size_t>(n);
  }

 private:
  int fd_;
  std::string name_;
};

}  // namespace

std::string Endpoint::describe() const {
  return host.find(':') != std::string::npos ? fmt::format("[{}]:{}", host, port) : fmt::format("{}:{}", host, port);
}

Endpoint parse_endpoint(const std::string& text) {
  Endpoint e;
  std::string port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string::npos || close + 1 >= text.size() || text[close + 1] != ':')
      fail(ErrorKind::usage, "--gdb " + text + ": expected HOST:PORT", "e.g. --gdb 127.0.0.1:3333 or --gdb [::1]:3333");
    e.host = text.substr(1, close - 1);
    port = text.substr(close + 2);
  } else if (auto colon = text.rfind(':'); colon != std::string::npos) {
    e.host = text.substr(0, colon);
    port = text.substr(colon + 1);
  } else {
    port = text;
  }
  if (e.host.empty()) e.host = "127.0.0.1";
  unsigned long value = 0;
  bool ok = !port.empty() && port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos;
  if (ok) value = std::stoul(port);
  if (!ok || value == 0 || value > 65535)
    fail(ErrorKind::usage, "--gdb " + text + ": the port must be a number from 1 to 65535", "e.g. --gdb 127.0.0.1:3333");
  e.port = static_cast<uint16_t>(value);
  return e;
}

std::unique_ptr<ByteStream> connect_tcp(const Endpoint& endpoint, Millis timeout) {
  const std::string name = endpoint.describe();
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  const std::string port = std::to_string(endpoint.port);
  if (int rc = ::getaddrinfo(endpoint.host.c_str(), port.c_str(), &hints, &found); rc != 0)
    fail(ErrorKind::network, fmt::format("GDB server at {}: cannot resolve {} ({})", name, endpoint.host, gai_strerror(rc)),
         "check the host name in --gdb");
  std::string last_error = "no address";
  bool refused = false, timed_out = false;
  for (addrinfo* a = found; a; a = a->ai_next) {
    int fd = platform::os::socket_cloexec(a->ai_family, a->ai_socktype, a->ai_protocol, true);
    if (fd < 0) continue;
    int rc = ::connect(fd, a->ai_addr, a->ai_addrlen);
    int err = rc == 0 ? 0 : errno;
    if (err == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      int r;
      do r = ::poll(&p, 1, static_cast<int>(timeout.count()));
      while (r < 0 && errno == EINTR);
      if (r == 0) {
        err = ETIMEDOUT;
      } else {
        socklen_t len = sizeof err;
        ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
      }
    }
    if (err == 0) {
      // Blocking from here on: reads wait in poll, sends may block on a full socket buffer.
      ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
      int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      ::freeaddrinfo(found);
      return std::make_unique<TcpStream>(fd, name);
    }
    refused = refused || err == ECONNREFUSED;
    timed_out = timed_out || err == ETIMEDOUT;
    last_error = std::strerror(err);
    ::close(fd);
  }
  ::freeaddrinfo(found);
  if (refused)
    fail(ErrorKind::no_device, fmt::format("no GDB server at {}: connection refused", name), kStartServerHint);
  if (timed_out)
    fail(ErrorKind::timeout, fmt::format("GDB server at {}: no connection within {} ms", name, timeout.count()),
         "check the host and port, and that a firewall lets the connection through");
  fail(ErrorKind::no_device, fmt::format("GDB server at {}: cannot connect ({})", name, last_error), kStartServerHint);
}

}  // namespace omv::protocol::gdb
