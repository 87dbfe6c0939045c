#include "platform/usb_tty_port.h"

#include <filesystem>
#include <system_error>

namespace omv::platform::linux_impl {

// /sys/class/tty/ttyACM0/device -> .../usb1/1-4/1-4.2/1-4.2:1.0: the USB port is "1-4.2".
std::string usb_port_of_tty(const std::string& tty_path) {
  const auto name = std::filesystem::path(tty_path).filename().string();
  std::error_code ec;
  const auto iface = std::filesystem::canonical(std::filesystem::path("/sys/class/tty") / name / "device", ec);
  if (ec) return {};
  const auto port = iface.filename().string();
  const auto colon = port.find(':');
  return colon == std::string::npos ? std::string{} : port.substr(0, colon);
}

}  // namespace omv::platform::linux_impl
