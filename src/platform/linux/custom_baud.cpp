#include <asm/ioctls.h>
#include <fmt/format.h>
#include <sys/ioctl.h>
#include <termios.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"
#include "platform/custom_baud.h"

namespace omv::platform::linux_impl {
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

void set_custom_baud(int fd, uint32_t baud, const std::string& path) {
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
}

}  // namespace omv::platform::linux_impl
