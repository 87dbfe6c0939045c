#pragma once
// Every attached device omv knows from the board data, in any mode, merged across the
// transports that reach it: a running camera is one USB device and one serial port, a NXP
// loader one USB device and one HID interface.
#include <vector>

#include "discovery/device.h"
#include "discovery/sources.h"

namespace omv::discovery {

std::vector<Device> scan(const IdentityTable& table, const Sources& sources);

}  // namespace omv::discovery
