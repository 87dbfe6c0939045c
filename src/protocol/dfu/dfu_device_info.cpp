#include "protocol/dfu/dfu_device_info.h"

#include <fmt/format.h>

#include "protocol/dfu/dfu_types.h"

namespace omv::dfu {

bool is_dfu_device(const transport::UsbDeviceInfo& info) {
  for (const auto& i : info.interfaces)
    if (i.cls == kDfuClass && i.subclass == kDfuSubclass) return true;
  return false;
}

nlohmann::json describe_dfu_device(const transport::UsbDeviceInfo& info, bool openmv_bootloader) {
  nlohmann::json alts = nlohmann::json::array();
  std::optional<FunctionalDescriptor> fd;
  for (const auto& i : info.interfaces) {
    if (i.cls != kDfuClass || i.subclass != kDfuSubclass) continue;
    alts.push_back(i.name);
    if (!fd) fd = find_functional_descriptor(i.extra);
  }
  const uint16_t b = info.bcd_device;
  return {{"alts", alts},
          {"transfer_size", fd ? fd->transfer_size : 0},
          {"dfuse", fd && fd->is_dfuse()},
          {"bootloader_version", openmv_bootloader ? fmt::format("{}.{}.{}", b >> 8, (b >> 4) & 15, b & 15)
                                                   : fmt::format("{:04X}", b)}};
}

}  // namespace omv::dfu
