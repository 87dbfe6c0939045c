#pragma once
// Opening a bootloader session for a command: the buses (sim or real, from --sim), the
// adapter for the board's bootloader type, and the device found (or entered) on the way.
#include <chrono>
#include <memory>
#include <string>

#include "boards/board.h"
#include "core/events.h"
#include "flash/session.h"
#include "transport/hid.h"
#include "transport/usb.h"

namespace omv::flash {

struct ConnectOptions {
  std::string sim;                  // --sim DIR / OMV_SIM; empty = real USB
  std::string serial;               // --serial
  std::string mode = "bootloader";  // usb-id key: bootloader, rom
  std::string session_type;         // adapter override (recovery: st_rom_dfuse); empty = the board's
  std::chrono::milliseconds wait{0};
};

struct Connection {
  std::unique_ptr<transport::UsbBus> usb;
  std::unique_ptr<transport::HidBus> hid;
  std::unique_ptr<Session> session;  // declared last: closed first
};

Connection connect(const boards::Board& board, const ConnectOptions& options, Reporter& reporter);

}  // namespace omv::flash
