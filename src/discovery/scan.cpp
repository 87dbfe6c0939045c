#include "discovery/scan.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/text.h"
#include "udev/access_hint.h"

namespace omv::discovery {
namespace {

// The same physical device seen through another transport: same ID and the same USB socket,
// or, where a backend gives no socket, the same serial number.
Device* same_device(std::vector<Device>& devices, UsbId id, const std::string& bus_port, const std::string& serial) {
  for (auto& d : devices) {
    if (d.id != id) continue;
    if (!bus_port.empty() && !d.bus_port.empty()) {
      if (d.bus_port == bus_port) return &d;
      continue;
    }
    if (!serial.empty() && iequals(d.serial, serial)) return &d;
  }
  return nullptr;
}

void mark_inaccessible(Device& d, const std::string& problem) {
  if (!d.accessible) return;
  d.accessible = false;
  d.problem = problem;
  d.fix = problem.find("ermission") != std::string::npos || problem.find("EACCES") != std::string::npos
              ? udev::access_hint()
              : std::string();
}

}  // namespace

std::vector<Device> scan(const IdentityTable& table, const Sources& sources) {
  std::vector<Device> devices;
  if (sources.usb) {
    for (auto& info : sources.usb->enumerate()) {
      auto candidates = refine_by_product(table.lookup(info.id), info.product);
      if (candidates.empty()) continue;
      Device d;
      d.candidates = std::move(candidates);
      d.id = info.id;
      d.serial = info.serial;
      d.bus_port = info.bus_port;
      if (!info.accessible) mark_inaccessible(d, info.access_error.empty() ? "permission denied" : info.access_error);
      d.usb = std::move(info);
      devices.push_back(std::move(d));
    }
  }
  if (sources.hid) {
    for (auto& info : sources.hid->enumerate()) {
      auto candidates = table.lookup(info.id);
      if (candidates.empty()) continue;
      Device* d = same_device(devices, info.id, info.bus_port, info.serial);
      if (!d) {
        devices.push_back({});
        d = &devices.back();
        d->candidates = std::move(candidates);
        d->id = info.id;
        d->serial = info.serial;
        d->bus_port = info.bus_port;
      }
      if (!info.accessible) mark_inaccessible(*d, info.access_error.empty() ? "permission denied" : info.access_error);
      d->hid = std::move(info);
    }
  }
  if (sources.serial_ports) {
    for (auto& info : sources.serial_ports()) {
      if (!info.usb) continue;
      auto candidates = table.lookup(*info.usb);
      if (candidates.empty()) continue;
      Device* d = same_device(devices, *info.usb, info.bus_port, info.serial);
      if (!d) {
        devices.push_back({});
        d = &devices.back();
        d->candidates = std::move(candidates);
        d->id = *info.usb;
        d->serial = info.serial;
        d->bus_port = info.bus_port;
      }
      d->port = info.path;
      if (::access(info.path.c_str(), R_OK | W_OK) != 0 && (errno == EACCES || errno == EPERM))
        mark_inaccessible(*d, "permission denied on " + info.path);
      d->tty = std::move(info);
    }
  }
  std::sort(devices.begin(), devices.end(), [](const Device& a, const Device& b) {
    if (a.board_label() != b.board_label()) return a.board_label() < b.board_label();
    if (a.mode() != b.mode()) return a.mode() < b.mode();
    return a.serial < b.serial;
  });
  return devices;
}

}  // namespace omv::discovery
