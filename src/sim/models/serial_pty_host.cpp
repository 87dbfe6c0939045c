#include "sim/models/serial_pty_host.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <map>
#include <thread>
#include <utility>

#include "core/error.h"
#include "platform/fds.h"
#include "transport/sim_wire.h"

namespace omv::sim {
namespace {

volatile sig_atomic_t g_stop = 0;
void on_stop(int) { g_stop = 1; }

std::map<std::string, SerialModelPrepare>& prepares() {
  static std::map<std::string, SerialModelPrepare> m;
  return m;
}

uint32_t baud_of(speed_t s) {
  switch (s) {
    case B1200: return 1200;
    case B2400: return 2400;
    case B4800: return 4800;
    case B9600: return 9600;
    case B19200: return 19200;
    case B38400: return 38400;
    case B57600: return 57600;
    case B115200: return 115200;
    case B230400: return 230400;
    case B460800: return 460800;
    case B921600: return 921600;
    case B1000000: return 1000000;
    case B2000000: return 2000000;
    default: return 0;
  }
}

// Bulk transfers on the CDC data interface: at most 19 64-byte packets per 1 ms frame at full
// speed (USB 2.0 table 5-9), 13 512-byte packets per 125 us microframe at high speed.
std::chrono::nanoseconds bulk_time(const std::string& speed, uint64_t bytes) {
  const double bytes_per_s = speed == "high" ? 13.0 * 512 * 8000 : 19.0 * 64 * 1000;
  return std::chrono::nanoseconds(static_cast<int64_t>(static_cast<double>(bytes) * 1e9 / bytes_per_s));
}

}  // namespace

std::filesystem::path serial_json_path(const std::filesystem::path& dir) { return dir / "serial.json"; }
std::filesystem::path tty_link_path(const std::filesystem::path& dir) { return dir / "tty"; }

void register_serial_prepare(const std::string& bootloader_type, SerialModelPrepare prepare) {
  prepares()[bootloader_type] = prepare;
}

bool has_serial_model(const boards::Board& board, const std::string& mode) {
  return find_serial_model(boards::to_string(board.bootloader_type), mode) != nullptr;
}

SerialPtyHost::SerialPtyHost(const boards::Board& board, const StartOptions& options, const std::string& serial)
    : board_(board), options_(options) {
  record_.serial = serial;
  record_.target = board_.target;
  record_.pid = static_cast<int>(::getpid());
  record_.time_scale = options_.time_scale;
  record_.dir = camera_dir(options_.bus, serial);
  std::filesystem::create_directories(record_.dir);
  const std::string type = boards::to_string(board_.bootloader_type);
  if (auto it = prepares().find(type); it != prepares().end()) it->second(board_, record_.dir);
  memories_ = std::make_unique<MemoryBank>(board_, record_.dir);
  memories_->carry_counters(options_.carried_counters);
  for (const auto& f : options_.faults) faults_.arm(f);
  build_model(options_.mode);
  if (!options_.probe.flavour.empty())
    probe_ = std::make_unique<ProbeServer>(*memories_, faults_, options_.probe, options_.time_scale, record_.dir);
  listen_fd_ = wire::listen_unix(socket_path(record_.dir));
  open_pty();
  record_.generation = options_.generation;
  publish();
}

SerialPtyHost::~SerialPtyHost() {
  probe_.reset();
  close_pty();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  std::error_code ec;
  for (const auto& p : {socket_path(record_.dir), device_json_path(record_.dir), serial_json_path(record_.dir),
                        tty_link_path(record_.dir)})
    std::filesystem::remove(p, ec);
}

void SerialPtyHost::build_model(const std::string& mode) {
  const std::string type = boards::to_string(board_.bootloader_type);
  const auto* factory = find_serial_model(type, mode);
  if (!factory)
    fail(ErrorKind::unsupported, "no virtual serial model for " + board_.target + " (" + type + ") in " + mode + " mode");
  model_.reset();
  context_ = std::make_unique<ModelContext>(
      ModelContext{board_, mode, record_.serial, record_.dir, *memories_, faults_, options_.time_scale});
  model_ = (*factory)(*context_);
  record_.mode = mode;
}

void SerialPtyHost::open_pty() {
  master_ = ::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC | O_NONBLOCK);
  if (master_ < 0 || ::grantpt(master_) != 0 || ::unlockpt(master_) != 0)
    fail(ErrorKind::io, std::string("cannot create a pseudo-terminal: ") + std::strerror(errno));
  char name[128];
  if (::ptsname_r(master_, name, sizeof name) != 0) fail(ErrorKind::io, "ptsname failed");
  tty_ = name;
  // A CDC-ACM port passes bytes through untouched: the pty's line discipline must too.
  const int slave = ::open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (slave < 0) fail(ErrorKind::io, "cannot open " + tty_ + ": " + std::strerror(errno));
  termios tio{};
  ::tcgetattr(slave, &tio);
  ::cfmakeraw(&tio);
  ::cfsetspeed(&tio, B9600);
  ::tcsetattr(slave, TCSANOW, &tio);
  ::close(slave);
  peer_open_ = false;
  baud_ = 9600;
  pending_out_.clear();
  std::error_code ec;
  std::filesystem::remove(tty_link_path(record_.dir), ec);
  std::filesystem::create_symlink(tty_, tty_link_path(record_.dir), ec);
}

void SerialPtyHost::close_pty() {
  if (master_ >= 0) ::close(master_);
  master_ = -1;
}

void SerialPtyHost::publish() {
  auto id = model_->identity();
  id.generation = record_.generation;
  id.backend_path = "sim:" + record_.dir.string();
  record_.usb = id;
  // serial.json first: whoever sees the new generation in device.json finds the new port.
  nlohmann::json j = {{"tty", tty_}, {"generation", record_.generation}, {"mode", record_.mode},
                      {"usb", format_usb_id(id.id)}};
  const auto path = serial_json_path(record_.dir);
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << j.dump(2) << '\n';
  }
  std::filesystem::rename(tmp, path);
  write_camera(record_);
}

std::chrono::nanoseconds SerialPtyHost::scaled(std::chrono::nanoseconds t) const {
  if (options_.time_scale <= 0) return {};
  return std::chrono::nanoseconds(static_cast<int64_t>(static_cast<double>(t.count()) / options_.time_scale));
}

void SerialPtyHost::check_line() {
  termios tio{};
  if (::tcgetattr(master_, &tio) != 0) return;
  pollfd p{master_, 0, 0};
  ::poll(&p, 1, 0);
  const bool open_now = !(p.revents & POLLHUP);
  const uint32_t baud = baud_of(cfgetospeed(&tio));
  if (baud != baud_ || open_now != peer_open_) {
    if (open_now && !peer_open_) ++opens_;
    baud_ = baud;
    peer_open_ = open_now;
    model_->line_changed(baud_, peer_open_);
  }
}

void SerialPtyHost::flush_output() {
  while (!pending_out_.empty() && master_ >= 0) {
    const ssize_t n = ::write(master_, pending_out_.data(), pending_out_.size());
    if (n <= 0) break;
    bytes_out_ += static_cast<uint64_t>(n);
    pending_out_.erase(pending_out_.begin(), pending_out_.begin() + n);
  }
}

void SerialPtyHost::serve_pty() {
  uint8_t buf[65536];
  const ssize_t n = ::read(master_, buf, sizeof buf);
  if (n <= 0) return;
  // The bytes were written on an open line with the settings the peer made before writing (the
  // magic baud), even when the peer has closed the port since (open, write, close within one
  // poll): the model sees that line first, and the close on the next check_line().
  termios tio{};
  if (::tcgetattr(master_, &tio) == 0) {
    const uint32_t baud = baud_of(cfgetospeed(&tio));
    if (baud != baud_ || !peer_open_) {
      if (!peer_open_) ++opens_;
      baud_ = baud;
      peer_open_ = true;
      model_->line_changed(baud_, true);
    }
  }
  const auto arrived = std::chrono::steady_clock::now();
  bytes_in_ += static_cast<uint64_t>(n);
  faults_.count_out_bytes(static_cast<uint64_t>(n));
  if (faults_.fire("disconnect")) {
    // Power cycle: what was sent is lost; the board comes back fresh on a new port.
    build_model(record_.mode);
    close_pty();
    open_pty();
    ++record_.generation;
    ++reenumerations_;
    publish();
    return;
  }
  auto out = model_->receive(std::span<const uint8_t>(buf, static_cast<size_t>(n)), baud_);
  const auto busy = model_->take_busy_time() + memories_->take_busy_time();
  const auto bus = bulk_time(board_.usb_speed, static_cast<uint64_t>(n) + out.size());
  if (options_.time_scale > 0) std::this_thread::sleep_until(arrived + scaled(busy + bus));
  pending_out_.insert(pending_out_.end(), out.begin(), out.end());
  flush_output();
  if (auto next = model_->take_mode_change()) {
    const std::string type = boards::to_string(board_.bootloader_type);
    if (!has_serial_model(board_, *next) && (find_usb_model(type, *next) || find_hid_model(type, *next))) {
      // The launcher starts the USB host for the new mode once the host has closed the port (or
      // after kPortLinger): what was just sent (the reply to a reset) can still be read, as a UART
      // adapter that stays on the bus while the chip resets allows.
      flush_output();
      pending_handover_ = *next;
      handover_at_ = std::chrono::steady_clock::now() + kPortLinger;
      return;
    }
    // Without a model for the new mode (no application model here), the board comes back in
    // the mode it left, freshly reset.
    flush_output();
    build_model(has_serial_model(board_, *next) ? *next : record_.mode);
    close_pty();
    open_pty();
    ++record_.generation;
    ++reenumerations_;
    publish();
  }
}

void SerialPtyHost::handle_socket(int fd) {
  std::optional<wire::Frame> frame;
  try {
    frame = wire::recv_frame(fd, std::chrono::milliseconds(2000));
  } catch (const Error&) {
  }
  if (!frame) return;
  auto send_text = [&](wire::Status status, const std::string& text) {
    wire::send_frame(fd, static_cast<uint8_t>(status),
                     std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
  };
  switch (static_cast<wire::Op>(frame->code)) {
    case wire::Op::stats: send_text(wire::Status::ok, stats().dump()); break;
    case wire::Op::fault:
      try {
        faults_.arm(std::string(frame->body.begin(), frame->body.end()));
        send_text(wire::Status::ok, "");
      } catch (const Error& e) {
        send_text(wire::Status::error, e.what());
      }
      break;
    case wire::Op::shutdown:
      send_text(wire::Status::ok, "");
      stop_ = true;
      break;
    default:
      // USB requests to a CDC port's device: it has nothing but its serial interface to offer.
      send_text(wire::Status::stall, "");
      break;
  }
}

void SerialPtyHost::serve() {
  struct sigaction sa {};
  sa.sa_handler = on_stop;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  while (!stop_ && !g_stop) {
    check_line();
    if (pending_handover_ && (!peer_open_ || std::chrono::steady_clock::now() >= handover_at_)) {
      handover_ = std::exchange(pending_handover_, std::nullopt);
      break;
    }
    std::vector<pollfd> fds{{listen_fd_, POLLIN, 0}};
    if (peer_open_)
      fds.push_back({master_, static_cast<short>(POLLIN | (pending_out_.empty() ? 0 : POLLOUT)), 0});
    const size_t own_fds = fds.size();
    if (probe_) probe_->poll_fds(fds);
    // While nobody has the port open the pty reports a hang-up continuously: look again shortly.
    const int r = ::poll(fds.data(), fds.size(), peer_open_ ? 200 : 20);
    if (r < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (fds[0].revents & POLLIN) {
      const int fd = platform::os::accept_cloexec(listen_fd_);
      if (fd >= 0) {
        handle_socket(fd);
        ::close(fd);
      }
    }
    if (probe_) probe_->serve_ready(fds);
    if (own_fds > 1) {
      if (fds[1].revents & POLLOUT) flush_output();
      if (fds[1].revents & POLLIN) serve_pty();
    } else if (master_ >= 0) {
      serve_pty();  // what a peer wrote before closing again stays readable (non-blocking)
    }
  }
}

nlohmann::json SerialPtyHost::stats() const {
  nlohmann::json mem = memories_->stats();
  uint64_t erases = 0, programmed = 0, bits = 0;
  for (const auto& [name, m] : mem.items()) {
    erases += m.value("erases", uint64_t{0});
    programmed += m.value("bytes_programmed", uint64_t{0});
    bits += m.value("bits_not_erased", uint64_t{0});
  }
  nlohmann::json j = {{"serial", record_.serial},
          {"target", record_.target},
          {"mode", record_.mode},
          {"generation", record_.generation},
          {"reenumerations", reenumerations_},
          {"tty", tty_},
          {"erases", erases},
          {"bytes_programmed", programmed},
          {"bits_not_erased", bits},
          {"memories", mem},
          {"model", model_->stats()},
          {"serial_bytes", {{"in", bytes_in_}, {"out", bytes_out_}, {"opens", opens_}}},
          {"faults", faults_.stats()}};
  if (probe_) j["probe"] = probe_->stats();
  return j;
}

}  // namespace omv::sim
