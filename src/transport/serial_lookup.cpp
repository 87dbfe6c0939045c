#include "transport/serial_lookup.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>

#include "transport/serial.h"

namespace omv::transport {

std::optional<std::string> serial_port_of(const UsbDeviceInfo& device) {
  if (device.backend_path.rfind("sim:", 0) == 0) {
    std::ifstream in(std::filesystem::path(device.backend_path.substr(4)) / "serial.json");
    if (!in) return std::nullopt;
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (!j.is_object() || !j.contains("tty") || !j["tty"].is_string()) return std::nullopt;
    if (j.contains("generation") && j["generation"].is_number_unsigned() && device.generation &&
        j["generation"].get<uint64_t>() != device.generation)
      return std::nullopt;  // the camera re-enumerated since `device` was seen
    return j["tty"].get<std::string>();
  }
  std::optional<std::string> by_id;
  for (const auto& p : enumerate_serial_ports()) {
    if (!p.usb || !(*p.usb == device.id)) continue;
    if (!device.serial.empty() && p.serial != device.serial) continue;
    if (!device.bus_port.empty() && !p.bus_port.empty() && p.bus_port == device.bus_port) return p.path;
    if (!by_id) by_id = p.path;
  }
  return by_id;
}

}  // namespace omv::transport
