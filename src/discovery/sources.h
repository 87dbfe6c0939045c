#pragma once
// Where devices are found: the USB bus, HID devices and serial ports, either the real ones
// (libusb, hidapi, libserialport) or a sim bus folder's virtual cameras.
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "transport/hid.h"
#include "transport/serial.h"
#include "transport/usb.h"

namespace omv::discovery {

struct Sources {
  std::unique_ptr<transport::UsbBus> usb;   // null: not available on this host
  std::unique_ptr<transport::HidBus> hid;
  std::function<std::vector<transport::SerialPortInfo>()> serial_ports;
  std::filesystem::path sim_bus;            // set for virtual cameras

  // Blocks until `ready()` holds or the timeout passes, re-checking whenever devices appear,
  // vanish or change permissions (platform/folder_watch.h on the sim bus, or on /dev). No fixed sleeps.
  bool wait_until(const std::function<bool()>& ready, std::chrono::milliseconds timeout) const;
};

// `sim_dir` non-empty: the virtual cameras on that bus.
Sources open_sources(const std::string& sim_dir);

// The serial ports of the virtual cameras that have one (running firmware, SAM-BA).
std::vector<transport::SerialPortInfo> sim_serial_ports(const std::filesystem::path& bus);

}  // namespace omv::discovery
