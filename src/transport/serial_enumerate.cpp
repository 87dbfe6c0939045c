// Serial port enumeration with libserialport: the tty name plus, for USB ports, the device's
// VID/PID, serial number and strings, and the physical USB port where the OS tells it.
#include <libserialport.h>

#include <memory>

#include "platform/usb_tty_port.h"
#include "transport/serial.h"

namespace omv::transport {
namespace {

struct PortListDeleter {
  void operator()(sp_port** list) const { sp_free_port_list(list); }
};

std::string text(const char* s) { return s ? s : ""; }

}  // namespace

std::vector<SerialPortInfo> enumerate_serial_ports() {
  std::vector<SerialPortInfo> out;
  sp_port** raw = nullptr;
  if (sp_list_ports(&raw) != SP_OK || !raw) return out;
  std::unique_ptr<sp_port*, PortListDeleter> list(raw);
  for (sp_port** p = raw; *p; ++p) {
    SerialPortInfo info;
    info.path = text(sp_get_port_name(*p));
    info.description = text(sp_get_port_description(*p));
    if (sp_get_port_transport(*p) == SP_TRANSPORT_USB) {
      int vid = 0, pid = 0;
      if (sp_get_port_usb_vid_pid(*p, &vid, &pid) == SP_OK)
        info.usb = UsbId{static_cast<uint16_t>(vid), static_cast<uint16_t>(pid)};
      info.serial = text(sp_get_port_usb_serial(*p));
      info.product = text(sp_get_port_usb_product(*p));
      info.manufacturer = text(sp_get_port_usb_manufacturer(*p));
      info.bus_port = platform::os::usb_port_of_tty(info.path);
    }
    out.push_back(std::move(info));
  }
  return out;
}

}  // namespace omv::transport
