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

std::vector<std::string> simulated_modes(const boards::Board& board) {
  static const char* const kBoardSpecific[] = {"rom", "openbl", "isp"};
  std::vector<std::string> out;
  for (auto& mode : simulated_modes(boards::to_string(board.bootloader_type))) {
    const bool specific = std::find(std::begin(kBoardSpecific), std::end(kBoardSpecific), mode) != std::end(kBoardSpecific);
    if (!specific || board.usb_id(mode)) out.push_back(std::move(mode));
  }
  return out;
}

std::string default_mode(const std::string& bootloader_type) {
  const auto modes = simulated_modes(bootloader_type);
  for (const char* own : {"bootloader", "sbl"})
    if (std::find(modes.begin(), modes.end(), own) != modes.end()) return own;
  return "bootloader";
}

}  // namespace omv::sim
