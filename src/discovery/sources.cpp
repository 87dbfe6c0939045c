#include "discovery/sources.h"

#include <fstream>

#include "transport/sim_bus.h"
#include "transport/bus_factory.h"
#include "transport/folder_watch.h"
#include "transport/sim_connection.h"

namespace omv::discovery {

bool Sources::wait_until(const std::function<bool()>& ready, std::chrono::milliseconds timeout) const {
  if (!sim_bus.empty()) return transport::wait_for_bus_change(sim_bus, ready, timeout);
  return transport::wait_for_device_nodes(ready, timeout);
}

std::vector<transport::SerialPortInfo> sim_serial_ports(const std::filesystem::path& bus) {
  std::vector<transport::SerialPortInfo> out;
  for (const auto& camera : sim::list_cameras(bus)) {
    std::ifstream in(camera.dir / "serial.json");
    if (!in) continue;
    const auto j = nlohmann::json::parse(in, nullptr, false);
    if (!j.is_object() || !j.contains("tty") || !j["tty"].is_string()) continue;
    transport::SerialPortInfo info;
    info.path = j["tty"].get<std::string>();
    if (camera.usb) {
      info.usb = camera.usb->id;
      info.serial = camera.usb->serial;
      info.product = camera.usb->product;
      info.manufacturer = camera.usb->manufacturer;
      info.bus_port = camera.usb->bus_port;
    }
    info.description = "virtual camera " + camera.serial;
    out.push_back(std::move(info));
  }
  return out;
}

Sources open_sources(const std::string& sim_dir) {
  Sources s;
  s.usb = transport::make_usb_bus(sim_dir);
  s.hid = transport::make_hid_bus(sim_dir);
  if (!sim_dir.empty()) {
    s.sim_bus = sim_dir;
    s.serial_ports = [bus = s.sim_bus] { return sim_serial_ports(bus); };
  } else {
    s.serial_ports = [] { return transport::enumerate_serial_ports(); };
  }
  return s;
}

}  // namespace omv::discovery
