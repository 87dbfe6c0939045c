#pragma once
// "Find the camera in its bootloader, or put it there": the one place a command gets its
// bootloader device. Cameras already in bootloader mode are found on the bus. The camera
// discovery area registers an entry hook that finds a camera running its application and asks
// it to reboot into the bootloader (OpenMV Protocol SYS_BOOT, 1200-baud touch...); then the
// device is awaited, event-driven.
#include <chrono>
#include <functional>
#include <string>
#include <vector>

#include "boards/board.h"
#include "core/events.h"
#include "transport/usb.h"

namespace omv::flash {

struct EntryRequest {
  const boards::Board& board;
  std::string mode;           // usb-id key wanted: bootloader, rom, ...
  std::string serial;         // empty: any
  transport::UsbBus& usb;
  Reporter& reporter;
};

// Returns true when it asked a running camera to enter the bootloader (the caller then waits).
using EntryHook = std::function<bool(const EntryRequest&)>;
void register_bootloader_entry(EntryHook hook);

// Runs the entry hooks for a session that finds its bootloader on another bus (HID: the RT1062's
// secure bootloader); true when one reset a running camera (which may then be in the bootloader
// already: the hooks wait for it).
bool run_entry_hooks(const EntryRequest& request);

// The matching device: present now, or after an entry hook fired, or after `wait`. Error{no_device}
// naming what was found instead; Error{usage} when several match and no serial was given;
// Error{refused} when --serial names a device of another board.
transport::UsbDeviceInfo find_or_enter_bootloader(const EntryRequest& request, std::chrono::milliseconds wait);

// Matching rule shared with `omv list`: the board's USB id for `mode`, and the serial if given.
bool matches(const boards::Board& board, const std::string& mode, const std::string& serial,
             const transport::UsbDeviceInfo& device);

}  // namespace omv::flash
