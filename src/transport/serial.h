#pragma once
// Serial ports: the running camera's CDC port (OpenMV Protocol, 1200-baud touch) and SAM-BA.
// Real ports and the virtual cameras' pseudo-terminals are both plain tty devices, so one
// termios backend serves both; enumeration with USB identity comes from libserialport.
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "transport/usb.h"

namespace omv::transport {

struct SerialPortInfo {
  std::string path;                 // /dev/ttyACM0, /dev/pts/7
  std::optional<UsbId> usb;         // when the port belongs to a USB device
  std::string serial, product, manufacturer;
  std::string bus_port;
  std::string description;
};

class SerialPort {
 public:
  virtual ~SerialPort() = default;
  virtual const std::string& path() const = 0;
  virtual void set_baud(uint32_t baud) = 0;
  virtual void set_dtr(bool on) = 0;
  virtual void set_rts(bool on) = 0;
  virtual void write(std::span<const uint8_t> data) = 0;
  // Reads up to data.size() bytes; returns what arrived before the timeout (may be 0).
  virtual size_t read(std::span<uint8_t> data, Millis timeout) = 0;
  virtual void drain() = 0;
};

std::vector<SerialPortInfo> enumerate_serial_ports();
// Opens a tty raw (8N1, no flow control, DTR/RTS as the driver sets them); EBUSY/EACCES become
// an Error naming the port and the likely cause. Reads return as soon as some bytes arrived.
std::unique_ptr<SerialPort> open_serial_port(const std::string& path, uint32_t baud);
// The Arduino "touch": open at `baud` (1200), drop DTR, close. Boards that watch for it reset
// into their bootloader and re-enumerate (often under another port name).
void touch_serial_port(const std::string& path, uint32_t baud = 1200);

}  // namespace omv::transport
