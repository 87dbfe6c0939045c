#include "sim/simulated_modes.h"

#include <algorithm>

#include "sim/model_registry.h"
#include "sim/models/serial_model.h"

namespace omv::sim {

std::vector<std::string> simulated_modes(const std::string& bootloader_type) {
  auto modes = registered_modes(bootloader_type);
  for (auto& mode : registered_serial_modes(bootloader_type))
    if (std::find(modes.begin(), modes.end(), mode) == modes.end()) modes.push_back(std::move(mode));
  return modes;
}

std::string default_mode(const std::string& bootloader_type) {
  const auto modes = simulated_modes(bootloader_type);
  for (const char* own : {"bootloader", "sbl"})
    if (std::find(modes.begin(), modes.end(), own) != modes.end()) return own;
  return "bootloader";
}

}  // namespace omv::sim
