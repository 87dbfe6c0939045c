// The termios backend of transport::SerialPort: real CDC-ACM ports and the virtual cameras'
// pseudo-terminals are both plain tty devices.
#include <fcntl.h>
#include <poll.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "transport/serial.h"
#include "transport/serial_custom_baud.h"
#include "transport/serial_errors.h"

namespace omv::transport {
namespace {

std::optional<speed_t> speed_for(uint32_t baud) {
  switch (baud) {
    case 1200: return B1200;
    case 2400: return B2400;
    case 4800: return B4800;
    case 9600: return B9600;
    case 19200: return B19200;
    case 38400: return B38400;
    case 57600: return B57600;
    case 115200: return B115200;
    case 230400: return B230400;
    case 460800: return B460800;
    case 921600: return B921600;
    case 1000000: return B1000000;
    case 2000000: return B2000000;
    default: return std::nullopt;
  }
}

// Modem-control lines do not exist on a pseudo-terminal; there a failure is expected and harmless.
bool modem_lines_absent(int err) { return err == ENOTTY || err == EINVAL || err == ENOTSUP; }

class TermiosSerialPort final : public SerialPort {
 public:
  TermiosSerialPort(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~TermiosSerialPort() override { ::close(fd_); }
  TermiosSerialPort(const TermiosSerialPort&) = delete;
  TermiosSerialPort& operator=(const TermiosSerialPort&) = delete;

  const std::string& path() const override { return path_; }

  void set_baud(uint32_t baud) override {
    const auto speed = speed_for(baud);
    if (!speed) return set_custom_baud(fd_, baud, path_);
    termios tio{};
    if (tcgetattr(fd_, &tio) != 0) fail_errno("reading the settings of");
    cfsetispeed(&tio, *speed);
    cfsetospeed(&tio, *speed);
    if (tcsetattr(fd_, TCSANOW, &tio) != 0) fail_errno("setting the baud rate of");
  }

  void set_dtr(bool on) override { set_line(TIOCM_DTR, on); }
  void set_rts(bool on) override { set_line(TIOCM_RTS, on); }

  void write(std::span<const uint8_t> data) override {
    size_t done = 0;
    while (done < data.size()) {
      const ssize_t n = ::write(fd_, data.data() + done, data.size() - done);
      if (n > 0) {
        done += static_cast<size_t>(n);
        continue;
      }
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        pollfd p{fd_, POLLOUT, 0};
        const int r = ::poll(&p, 1, 5000);
        if (r == 0) fail(ErrorKind::timeout, fmt::format("{}: the device accepts no more data (5 s)", path_));
        if (r < 0 && errno != EINTR) fail_errno("waiting to write to");
        if (r > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL))) vanished();
        continue;
      }
      if (n < 0 && (errno == EIO || errno == ENXIO || errno == ENODEV)) vanished();
      fail_errno("writing to");
    }
  }

  size_t read(std::span<uint8_t> data, Millis timeout) override {
    if (data.empty()) return 0;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    bool hung_up = false;
    for (;;) {
      const ssize_t n = ::read(fd_, data.data(), data.size());
      if (n > 0) return static_cast<size_t>(n);
      // VMIN = VTIME = 0: a read with nothing waiting returns 0; a gone device fails with EIO.
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EIO || errno == ENXIO || errno == ENODEV) vanished();
        if (errno != EAGAIN && errno != EWOULDBLOCK) fail_errno("reading from");
      }
      const auto left = std::chrono::duration_cast<Millis>(deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0) return 0;
      pollfd p{fd_, POLLIN, 0};
      const int r = ::poll(&p, 1, static_cast<int>(left.count()));
      if (r < 0 && errno != EINTR) fail_errno("waiting for data from");
      if (r == 0) return 0;
      // A hang-up with nothing left to read means the device is gone; read what is left first.
      if (r > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL))) {
        if (hung_up || !(p.revents & POLLIN)) vanished();
        hung_up = true;
      }
    }
  }

  void drain() override {
    while (tcdrain(fd_) != 0) {
      if (errno == EINTR) continue;
      if (errno == EIO || errno == ENXIO) vanished();
      fail_errno("draining");
    }
  }

 private:
  void set_line(int line, bool on) {
    if (::ioctl(fd_, on ? TIOCMBIS : TIOCMBIC, &line) == 0) return;
    if (modem_lines_absent(errno)) return;
    fail_errno(line == TIOCM_DTR ? "setting DTR on" : "setting RTS on");
  }

  [[noreturn]] void vanished() const {
    fail(ErrorKind::no_device, fmt::format("{}: the serial device went away", path_),
         "the board reset or was unplugged; re-plug it and try again");
  }

  [[noreturn]] void fail_errno(const char* what) const {
    const int err = errno;
    fail(ErrorKind::io, fmt::format("{} {}: {}", what, path_, std::strerror(err)));
  }

  std::string path_;
  int fd_;
};

}  // namespace

std::unique_ptr<SerialPort> open_serial_port(const std::string& path, uint32_t baud) {
  const auto speed = speed_for(baud);
  const int fd = ::open(path.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) throw serial_open_error(path, errno);
  // Two programs talking to one bootloader corrupt each other's transfers: take an advisory
  // lock (other omv instances) and exclusive mode (everyone else, except root).
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    ::close(fd);
    throw serial_open_error(path, err == EWOULDBLOCK ? EBUSY : err);
  }
  termios tio{};
  if (::tcgetattr(fd, &tio) != 0) {
    const int err = errno;
    ::close(fd);
    fail(ErrorKind::device_error, fmt::format("{} is not a serial port: {}", path, std::strerror(err)),
         "pass the tty of the board (/dev/ttyACM0 ...); 'omv list' shows them");
  }
  ::ioctl(fd, TIOCEXCL);
  cfmakeraw(&tio);
  tio.c_cflag |= CLOCAL | CREAD;
  tio.c_cflag &= ~static_cast<tcflag_t>(CRTSCTS);
  tio.c_cc[VMIN] = 0;
  tio.c_cc[VTIME] = 0;
  cfsetispeed(&tio, speed.value_or(B9600));
  cfsetospeed(&tio, speed.value_or(B9600));
  if (::tcsetattr(fd, TCSANOW, &tio) != 0) {
    const int err = errno;
    ::close(fd);
    fail(ErrorKind::io, fmt::format("configuring {}: {}", path, std::strerror(err)));
  }
  auto port = std::make_unique<TermiosSerialPort>(path, fd);
  if (!speed) port->set_baud(baud);
  ::tcflush(fd, TCIOFLUSH);
  return port;
}

void touch_serial_port(const std::string& path, uint32_t baud) {
  auto port = open_serial_port(path, baud);
  port->set_rts(true);
  port->set_dtr(false);
  // The board reacts when the port closes with DTR low at this rate; give the line change a moment.
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
}

}  // namespace omv::transport
