#include "sim/probe/probe_server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <thread>

#include "core/error.h"
#include "platform/fds.h"

namespace omv::sim {
namespace {

int listen_tcp(int port) {
  int fd = platform::os::socket_cloexec(AF_INET, SOCK_STREAM, 0, true);
  if (fd < 0) fail(ErrorKind::io, std::string("virtual probe: socket: ") + std::strerror(errno));
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd, 4) != 0) {
    const int err = errno;
    ::close(fd);
    fail(ErrorKind::io, "virtual probe: cannot listen on 127.0.0.1:" + std::to_string(port) + ": " + std::strerror(err),
         "pick another --probe-port, or 0 for any free one");
  }
  return fd;
}

int bound_port(int fd) {
  sockaddr_in addr{};
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  return ntohs(addr.sin_port);
}

void send_all(int fd, const std::string& bytes) {
  size_t sent = 0;
  while (sent < bytes.size()) {
    ssize_t n = platform::os::send_no_sigpipe(fd, bytes.data() + sent, bytes.size() - sent);
    if (n < 0 && (errno == EINTR || errno == EAGAIN)) continue;
    if (n <= 0) return;  // the debugger went away; the next read sees it
    sent += static_cast<size_t>(n);
  }
}

}  // namespace

std::filesystem::path probe_json_path(const std::filesystem::path& camera_dir) { return camera_dir / "probe.json"; }

std::optional<nlohmann::json> read_probe_json(const std::filesystem::path& camera_dir) {
  std::ifstream in(probe_json_path(camera_dir));
  if (!in) return std::nullopt;
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.contains("port") || !j.contains("host") || !j.contains("flavour")) return std::nullopt;
  return j;
}

ProbeServer::ProbeServer(MemoryBank& memories, FaultPlan& faults,
                         const ProbeOptions& options, double time_scale, const std::filesystem::path& camera_dir)
    : memories_(memories),
      faults_(faults),
      target_(memories),
      stub_(target_, protocol::gdb::stub_flavour(options.flavour)),
      time_scale_(time_scale),
      camera_dir_(camera_dir) {
  stub_.set_fault_hook([this](std::string_view kind) { return faults_.fire(kind); });
  listen_fd_ = listen_tcp(options.port);
  port_ = bound_port(listen_fd_);
  const auto path = probe_json_path(camera_dir_);
  const auto tmp = path.string() + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << nlohmann::json{{"host", "127.0.0.1"}, {"port", port_}, {"flavour", options.flavour}}.dump() << '\n';
  }
  std::filesystem::rename(tmp, path);
}

ProbeServer::~ProbeServer() {
  if (conn_fd_ >= 0) ::close(conn_fd_);
  if (listen_fd_ >= 0) ::close(listen_fd_);
  std::error_code ec;
  std::filesystem::remove(probe_json_path(camera_dir_), ec);
}

void ProbeServer::poll_fds(std::vector<pollfd>& fds) const {
  fds.push_back({listen_fd_, POLLIN, 0});
  if (conn_fd_ >= 0) fds.push_back({conn_fd_, POLLIN, 0});
}

void ProbeServer::serve_ready(const std::vector<pollfd>& fds) {
  const int conn = conn_fd_;  // a connection accepted now is served next round
  for (const auto& p : fds) {
    if (!(p.revents & (POLLIN | POLLHUP | POLLERR))) continue;
    if (p.fd == listen_fd_) accept_connection();
    else if (p.fd == conn && conn >= 0) serve_connection();
  }
}

void ProbeServer::accept_connection() {
  int fd = platform::os::accept_cloexec(listen_fd_);
  if (fd < 0) return;
  if (conn_fd_ >= 0) {  // one debugger at a time
    refused_++;
    ::close(fd);
    return;
  }
  int one = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  conn_fd_ = fd;
  connections_++;
  stub_.connected();
}

void ProbeServer::drop_connection() {
  ::close(conn_fd_);
  conn_fd_ = -1;
  stub_.disconnected();
}

void ProbeServer::serve_connection() {
  uint8_t buf[64 * 1024];
  ssize_t n = ::recv(conn_fd_, buf, sizeof buf, MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
  if (n <= 0) return drop_connection();
  bytes_in_ += static_cast<uint64_t>(n);
  faults_.count_out_bytes(static_cast<uint64_t>(n));
  auto out = stub_.feed(std::span<const uint8_t>(buf, static_cast<size_t>(n)));
  // The reply leaves once the target has done the work: SWD transfers, flash erase and program.
  const auto busy = memories_.take_busy_time() + target_.take_busy_time();
  if (time_scale_ > 0 && busy.count() > 0)
    std::this_thread::sleep_for(std::chrono::nanoseconds(static_cast<int64_t>(static_cast<double>(busy.count()) / time_scale_)));
  if (!out.bytes.empty()) {
    bytes_out_ += out.bytes.size();
    send_all(conn_fd_, out.bytes);
  }
  if (out.close) {
    drops_++;
    drop_connection();
  }
}

nlohmann::json ProbeServer::stats() const {
  const auto& c = stub_.counters();
  return {{"flavour", stub_.flavour().name},
          {"port", port_},
          {"connections", connections_},
          {"refused", refused_},
          {"closed_by_server", drops_},
          {"bytes_in", bytes_in_},
          {"bytes_out", bytes_out_},
          {"packets", c.packets},
          {"blocks_erased", c.blocks_erased},
          {"bytes_programmed", c.bytes_programmed},
          {"blocks_skipped", c.blocks_skipped},
          {"bytes_read", c.bytes_read},
          {"bytes_written_ram", c.bytes_written_ram},
          {"resets", c.resets},
          {"ignored_while_running", c.ignored_while_running},
          {"checksum_errors", c.checksum_errors},
          {"halted", stub_.halted()},
          {"swd_ns", target_.swd_time().count()},
          {"on_chip_ns", target_.on_chip_time().count()}};
}

}  // namespace omv::sim
