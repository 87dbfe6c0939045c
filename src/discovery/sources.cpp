#include "discovery/sources.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <fstream>

#include "sim/bus.h"
#include "transport/bus_factory.h"
#include "transport/sim_connection.h"

namespace omv::discovery {
namespace {

// Device nodes come and go in /dev (tty*, hidraw*) and /dev/bus/usb/NNN; udev changes their
// owner and mode right after they appear (IN_ATTRIB), which matters for a device that was
// not yet accessible.
bool wait_on_dev(const std::function<bool()>& ready, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  auto watch_all = [&] {
    if (fd < 0) return;
    const uint32_t mask = IN_CREATE | IN_DELETE | IN_ATTRIB | IN_MOVED_TO;
    ::inotify_add_watch(fd, "/dev", mask | IN_ONLYDIR);
    ::inotify_add_watch(fd, "/dev/bus/usb", mask | IN_ONLYDIR);
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator("/dev/bus/usb", ec))
      ::inotify_add_watch(fd, e.path().c_str(), mask | IN_ONLYDIR);
  };
  watch_all();
  bool ok = false;
  for (;;) {
    if (ready()) {
      ok = true;
      break;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    // Without inotify, look again every 50 ms.
    pollfd p{fd, POLLIN, 0};
    const int r = ::poll(fd >= 0 ? &p : nullptr, fd >= 0 ? 1 : 0,
                         static_cast<int>(fd >= 0 ? left.count() : std::min<int64_t>(left.count(), 50)));
    if (r > 0) {
      char buf[4096];
      while (::read(fd, buf, sizeof buf) > 0) {
      }
      watch_all();
    }
  }
  if (fd >= 0) ::close(fd);
  return ok;
}

}  // namespace

bool Sources::wait_until(const std::function<bool()>& ready, std::chrono::milliseconds timeout) const {
  if (!sim_bus.empty()) return transport::wait_for_bus_change(sim_bus, ready, timeout);
  return wait_on_dev(ready, timeout);
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
