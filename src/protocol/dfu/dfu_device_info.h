#pragma once
// What a DFU device says about itself, for listings: its alt settings (names or DfuSe layouts),
// transfer size, DfuSe or plain DFU, and the OpenMV bootloader version (bcdDevice = major<<8 |
// minor<<4 | patch on the OpenMV bootloader).
#include <nlohmann/json.hpp>

#include "transport/usb.h"

namespace omv::dfu {

bool is_dfu_device(const transport::UsbDeviceInfo& info);
// {"alts": [...], "transfer_size": N, "dfuse": bool, "bootloader_version": "1.0.3" or "2200"}
nlohmann::json describe_dfu_device(const transport::UsbDeviceInfo& info, bool openmv_bootloader);

}  // namespace omv::dfu
