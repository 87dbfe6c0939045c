#pragma once
// One attached device as `omv list` shows it: a camera (or loader) in one mode, seen through
// whichever transports reach it (its USB device, its serial port, its HID interface).
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

#include "discovery/identify.h"
#include "transport/hid.h"
#include "transport/serial.h"
#include "transport/usb.h"

namespace omv::discovery {

struct Device {
  std::vector<Candidate> candidates;  // boards (and the mode) this ID belongs to
  UsbId id;
  std::string serial;                 // USB serial number ("" when the mode reports none)
  std::string bus_port;               // "1-4.2": the physical socket
  std::string port;                   // serial port path (/dev/ttyACM0, /dev/pts/7) if it has one
  std::optional<transport::UsbDeviceInfo> usb;
  std::optional<transport::HidDeviceInfo> hid;
  std::optional<transport::SerialPortInfo> tty;
  bool accessible = true;
  std::string problem;                // why omv cannot open it
  std::string fix;                    // what to do about it

  const std::string& mode() const { return candidates.front().mode; }
  ModeKind kind() const { return candidates.front().kind; }
  bool is_board(const std::string& target) const;
  std::vector<std::string> targets() const;
  // "OPENMV4", "OPENMV2/OPENMV3/OPENMV4" or "any of 7 boards": for tables.
  std::string board_label() const;
  // Where to reach it: the serial port, else the USB or HID path.
  std::string location() const;
  // One line for messages: "OPENMV4 (running) serial 3A00... on /dev/ttyACM0".
  std::string describe() const;
};

nlohmann::json to_json(const Device& device);

}  // namespace omv::discovery
