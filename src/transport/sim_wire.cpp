#include "transport/sim_wire.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"
#include "platform/fds.h"
#include "platform/unix_address.h"

namespace omv::sim::wire {
namespace {

bool write_all(int fd, const uint8_t* p, size_t n) {
  while (n > 0) {
    ssize_t w = platform::os::send_no_sigpipe(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

// 0 ok, 1 EOF, throws on timeout.
int read_all(int fd, uint8_t* p, size_t n, std::chrono::steady_clock::time_point deadline, bool forever) {
  while (n > 0) {
    if (!forever) {
      auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
      pollfd pfd{fd, POLLIN, 0};
      int r = ::poll(&pfd, 1, static_cast<int>(std::max<int64_t>(0, left.count())));
      if (r < 0 && errno == EINTR) continue;
      if (r == 0) fail(ErrorKind::timeout, "virtual camera did not answer in time");
    }
    ssize_t got = ::recv(fd, p, n, 0);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) return 1;
    p += got;
    n -= static_cast<size_t>(got);
  }
  return 0;
}

}  // namespace

bool send_frame(int fd, uint8_t code, std::span<const uint8_t> body) {
  uint8_t header[5];
  uint32_t len = static_cast<uint32_t>(body.size() + 1);
  for (int i = 0; i < 4; ++i) header[i] = static_cast<uint8_t>(len >> (8 * i));
  header[4] = code;
  if (body.size() < 65536) {
    std::vector<uint8_t> all(header, header + 5);
    all.insert(all.end(), body.begin(), body.end());
    return write_all(fd, all.data(), all.size());
  }
  return write_all(fd, header, 5) && write_all(fd, body.data(), body.size());
}

std::optional<Frame> recv_frame(int fd, std::chrono::milliseconds timeout) {
  bool forever = timeout.count() < 0;
  auto deadline = std::chrono::steady_clock::now() + (forever ? std::chrono::milliseconds(0) : timeout);
  uint8_t header[5];
  if (read_all(fd, header, 5, deadline, forever) != 0) return std::nullopt;
  uint32_t len = 0;
  for (int i = 0; i < 4; ++i) len |= static_cast<uint32_t>(header[i]) << (8 * i);
  if (len == 0 || len > (64u << 20)) return std::nullopt;  // not our protocol: treat as gone
  Frame f;
  f.code = header[4];
  f.body.resize(len - 1);
  if (!f.body.empty() && read_all(fd, f.body.data(), f.body.size(), deadline, forever) != 0) return std::nullopt;
  return f;
}

int connect_unix(const std::filesystem::path& path) {
  platform::UnixAddress a;
  platform::os::make_unix_address(path, a);
  int fd = platform::os::socket_cloexec(AF_UNIX, SOCK_STREAM, 0, false);
  if (fd < 0) return -1;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a.addr), sizeof a.addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

int listen_unix(const std::filesystem::path& path) {
  platform::UnixAddress a;
  platform::os::make_unix_address(path, a);
  ::unlink(a.addr.sun_path);
  int fd = platform::os::socket_cloexec(AF_UNIX, SOCK_STREAM, 0, false);
  if (fd < 0) fail(ErrorKind::io, std::string("cannot create a socket: ") + std::strerror(errno));
  if (::bind(fd, reinterpret_cast<sockaddr*>(&a.addr), sizeof a.addr) != 0 || ::listen(fd, 16) != 0) {
    int e = errno;
    ::close(fd);
    fail(ErrorKind::io, "cannot listen on " + path.string() + ": " + std::strerror(e));
  }
  return fd;
}

Writer& Writer::u8(uint8_t v) {
  data_.push_back(v);
  return *this;
}
Writer& Writer::u16(uint16_t v) {
  for (int i = 0; i < 2; ++i) data_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  return *this;
}
Writer& Writer::u32(uint32_t v) {
  for (int i = 0; i < 4; ++i) data_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  return *this;
}
Writer& Writer::u64(uint64_t v) {
  for (int i = 0; i < 8; ++i) data_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  return *this;
}
Writer& Writer::bytes(std::span<const uint8_t> b) {
  data_.insert(data_.end(), b.begin(), b.end());
  return *this;
}
Writer& Writer::text(const std::string& s) {
  data_.insert(data_.end(), s.begin(), s.end());
  return *this;
}

bool Reader::need(size_t n) {
  if (!ok_ || data_.size() - pos_ < n) {
    ok_ = false;
    return false;
  }
  return true;
}
uint8_t Reader::u8() { return need(1) ? data_[pos_++] : 0; }
uint16_t Reader::u16() {
  if (!need(2)) return 0;
  uint16_t v = static_cast<uint16_t>(data_[pos_] | (data_[pos_ + 1] << 8));
  pos_ += 2;
  return v;
}
uint32_t Reader::u32() {
  if (!need(4)) return 0;
  uint32_t v = 0;
  for (int i = 0; i < 4; ++i) v |= static_cast<uint32_t>(data_[pos_ + static_cast<size_t>(i)]) << (8 * i);
  pos_ += 4;
  return v;
}
uint64_t Reader::u64() {
  if (!need(8)) return 0;
  uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v |= static_cast<uint64_t>(data_[pos_ + static_cast<size_t>(i)]) << (8 * i);
  pos_ += 8;
  return v;
}
std::span<const uint8_t> Reader::rest() {
  auto r = data_.subspan(pos_);
  pos_ = data_.size();
  return r;
}

}  // namespace omv::sim::wire
