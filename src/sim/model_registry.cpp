#include "sim/model_registry.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <utility>

namespace omv::sim {
namespace {

using Key = std::pair<std::string, std::string>;

std::map<Key, UsbModelFactory>& usb_models() {
  static std::map<Key, UsbModelFactory> m;
  return m;
}

std::map<Key, HidModelFactory>& hid_models() {
  static std::map<Key, HidModelFactory> m;
  return m;
}

}  // namespace

std::chrono::milliseconds ModelContext::scaled(std::chrono::nanoseconds device_time) const {
  if (time_scale <= 0) return std::chrono::milliseconds(0);
  double ms = static_cast<double>(device_time.count()) / 1e6 / time_scale;
  return std::chrono::milliseconds(static_cast<int64_t>(std::ceil(ms)));
}

void register_usb_model(const std::string& bootloader_type, const std::string& mode, UsbModelFactory factory) {
  usb_models()[{bootloader_type, mode}] = std::move(factory);
}

void register_hid_model(const std::string& bootloader_type, const std::string& mode, HidModelFactory factory) {
  hid_models()[{bootloader_type, mode}] = std::move(factory);
}

const UsbModelFactory* find_usb_model(const std::string& bootloader_type, const std::string& mode) {
  auto it = usb_models().find({bootloader_type, mode});
  return it == usb_models().end() ? nullptr : &it->second;
}

const HidModelFactory* find_hid_model(const std::string& bootloader_type, const std::string& mode) {
  auto it = hid_models().find({bootloader_type, mode});
  return it == hid_models().end() ? nullptr : &it->second;
}

std::vector<std::string> registered_modes(const std::string& bootloader_type) {
  std::vector<std::string> modes;
  for (const auto& [key, f] : usb_models())
    if (key.first == bootloader_type) modes.push_back(key.second);
  for (const auto& [key, f] : hid_models())
    if (key.first == bootloader_type && std::find(modes.begin(), modes.end(), key.second) == modes.end())
      modes.push_back(key.second);
  return modes;
}

}  // namespace omv::sim
