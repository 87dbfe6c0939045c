#include "transport/serial_errors.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace omv::transport {

Error serial_open_error(const std::string& path, int err) {
  switch (err) {
    case ENOENT:
    case ENODEV:
    case ENXIO:
      return Error(ErrorKind::no_device, fmt::format("serial port {} does not exist", path),
                   "the board may have re-enumerated under another name after a reset; 'omv list' shows the ports");
    case EBUSY:
      return Error(ErrorKind::failure,
                   fmt::format("serial port {} is busy: another program has it open", path),
                   "close serial monitors, the OpenMV IDE or another omv; ModemManager probes new ports for a few "
                   "seconds after plug-in (wait, or 'systemctl stop ModemManager')");
    case EACCES:
    case EPERM:
      return Error(ErrorKind::permission, fmt::format("no permission to open serial port {}", path),
                   "add yourself to the 'dialout' group (then log in again) or run 'omv udev install'");
    default:
      return Error(ErrorKind::io, fmt::format("cannot open serial port {}: {}", path, std::strerror(err)));
  }
}

}  // namespace omv::transport
