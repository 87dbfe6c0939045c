#include "transport/serial_custom_baud.h"

#include <fmt/format.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"

#ifdef __linux__
#include <asm/ioctls.h>
#include <termios.h>

namespace {
// The kernel's struct termios2 (<asm/termbits.h>, which cannot be included beside <termios.h>).
struct termios2 {
  tcflag_t c_iflag, c_oflag, c_cflag, c_lflag;
  cc_t c_line;
  cc_t c_cc[19];
  speed_t c_ispeed, c_ospeed;
};
constexpr tcflag_t kCbaud = 0010017;  // CBAUD
constexpr tcflag_t kBother = 0010000;  // BOTHER: the rate is in c_ispeed/c_ospeed
}  // namespace
#endif

namespace omv::transport {

void set_custom_baud(int fd, uint32_t baud, const std::string& path) {
#ifdef __linux__
  termios2 tio{};
  if (::ioctl(fd, TCGETS2, &tio) != 0)
    fail(ErrorKind::io, fmt::format("reading the settings of {}: {}", path, std::strerror(errno)));
  tio.c_cflag &= ~kCbaud;
  tio.c_cflag |= kBother;
  tio.c_cflag &= ~(kCbaud << 16);  // CIBAUD: input speed follows the output speed
  tio.c_ispeed = baud;
  tio.c_ospeed = baud;
  if (::ioctl(fd, TCSETS2, &tio) != 0)
    fail(ErrorKind::io, fmt::format("setting {} baud on {}: {}", baud, path, std::strerror(errno)));
#else
  (void)fd;
  fail(ErrorKind::unsupported, fmt::format("{}: baud rate {} is not a standard termios rate", path, baud),
       "this host can only set 1200, 9600, 115200, 230400, 460800 or 921600 baud");
#endif
}

}  // namespace omv::transport
