#include "sim/models/serial_model.h"

#include <map>
#include <utility>

namespace omv::sim {
namespace {

std::map<std::pair<std::string, std::string>, SerialModelFactory>& serial_models() {
  static std::map<std::pair<std::string, std::string>, SerialModelFactory> m;
  return m;
}

}  // namespace

void register_serial_model(const std::string& bootloader_type, const std::string& mode, SerialModelFactory factory) {
  serial_models()[{bootloader_type, mode}] = std::move(factory);
}

const SerialModelFactory* find_serial_model(const std::string& bootloader_type, const std::string& mode) {
  auto it = serial_models().find({bootloader_type, mode});
  return it == serial_models().end() ? nullptr : &it->second;
}

std::vector<std::string> registered_serial_modes(const std::string& bootloader_type) {
  std::vector<std::string> modes;
  for (const auto& [key, factory] : serial_models())
    if (key.first == bootloader_type) modes.push_back(key.second);
  return modes;
}

}  // namespace omv::sim
