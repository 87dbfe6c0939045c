#pragma once
// Which other processes have a device node open: the usual reason a camera's serial port is
// silent or busy (ModemManager probing it, a serial terminal, the IDE, another omv).
#include <optional>
#include <string>
#include <vector>

#include "platform/device_holders.h"

namespace omv::discovery {

using PortHolder = platform::DeviceHolder;

// Every process except this one with `path` open; nullopt where the OS cannot tell.
std::optional<std::vector<PortHolder>> port_holders(const std::string& path);
// "ModemManager (pid 812), screen (pid 4242)"; "" when there are none.
std::string describe_holders(const std::vector<PortHolder>& holders);

}  // namespace omv::discovery
