#include "protocol/picoboot/reset_interface.h"

#include "core/error.h"

namespace omv::protocol::picoboot {
namespace {

void send(transport::UsbDevice& device, uint8_t interface, uint8_t request, uint16_t value) {
  try {
    device.control_out(kResetInterfaceRequestType, request, value, interface, {}, transport::Millis(2000));
  } catch (const transport::UsbStall&) {
    throw;  // the firmware refused: not a reset interface after all
  } catch (const Error& e) {
    // The chip resets while the request completes: a vanished device or a broken pipe is the
    // expected outcome, not a failure.
    if (e.kind() != ErrorKind::no_device && e.kind() != ErrorKind::io && e.kind() != ErrorKind::timeout) throw;
  }
}

}  // namespace

std::optional<uint8_t> find_reset_interface(const transport::UsbDeviceInfo& device) {
  for (const auto& itf : device.interfaces)
    if (itf.alt == 0 && itf.cls == 0xFF && itf.subclass == 0x00 && itf.protocol == kResetInterfaceProtocol)
      return itf.number;
  return std::nullopt;
}

void request_bootsel(transport::UsbDevice& device, uint8_t interface, uint8_t disable_mask) {
  send(device, interface, kResetRequestBootsel, static_cast<uint16_t>(disable_mask & 0x7F));
}

void request_flash_boot(transport::UsbDevice& device, uint8_t interface) {
  send(device, interface, kResetRequestFlash, 0);
}

}  // namespace omv::protocol::picoboot
