#pragma once
// Telling a running OpenMV camera to reset into its bootloader, in whichever debug protocol
// its firmware speaks. The port must already be open at the magic baud (921600) with DTR set.
#include <optional>
#include <string>

#include "protocol/openmv/legacy.h"
#include "protocol/openmv/packet.h"
#include "protocol/openmv/probe.h"
#include "transport/serial.h"

namespace omv::protocol::openmv {

// Bootloaders older than this can get stuck when entered through the magic value, so they
// get a plain reset and are caught during their DFU window instead (as the IDE does).
inline constexpr Version kFirstSafeForcedBootloader{1, 0, 2};

struct ResetTimeouts {
  transport::Millis probe{1000};
  transport::Millis answer{1000};
  // A plain reset instead of SYS_BOOT: for boards whose bootloader runs after every reset and
  // whose SYS_BOOT goes elsewhere (the RT1062: its secure bootloader vs the NXP ROM).
  bool plain_reset = false;
};

struct ResetOutcome {
  Dialect dialect = Dialect::openmv_protocol;
  std::optional<VersionInfo> versions;                 // OpenMV Protocol firmware
  std::optional<legacy::FirmwareVersion> legacy_firmware;  // legacy firmware
  std::string command;   // what was sent: "SYS_BOOT", "SYS_RESET", "USBDBG SYS_RESET_TO_BL"
  bool forced = true;    // false: the bootloader leaves for the firmware after its DFU window
};

ResetOutcome reset_to_bootloader(transport::SerialPort& port, const ResetTimeouts& timeouts = {});

}  // namespace omv::protocol::openmv
