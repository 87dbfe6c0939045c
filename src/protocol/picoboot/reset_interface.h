#pragma once
// The reset interface of running RP2040 firmware built with the Pico SDK's USB stdio (vendor
// class 0xFF, subclass 0, protocol 1): one class request reboots the chip into BOOTSEL (the
// PICOBOOT ROM and the RPI-RP2 drive) or back into its flash image.
#include <cstdint>
#include <optional>

#include "transport/usb.h"

namespace omv::protocol::picoboot {

inline constexpr uint8_t kResetInterfaceProtocol = 0x01;
inline constexpr uint8_t kResetInterfaceRequestType = 0x21;  // OUT | class | interface
inline constexpr uint8_t kResetRequestBootsel = 0x01;
inline constexpr uint8_t kResetRequestFlash = 0x02;

std::optional<uint8_t> find_reset_interface(const transport::UsbDeviceInfo& device);

// Asks the firmware to reboot into BOOTSEL. `disable_mask` (low 7 bits) turns off the drive (1)
// or PICOBOOT (2) in the ROM. The device drops off the bus at once; an error from that is success.
void request_bootsel(transport::UsbDevice& device, uint8_t interface, uint8_t disable_mask = 0);
void request_flash_boot(transport::UsbDevice& device, uint8_t interface);

}  // namespace omv::protocol::picoboot
