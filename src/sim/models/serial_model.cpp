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

}  // namespace omv::sim
