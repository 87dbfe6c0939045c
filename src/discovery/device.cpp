#include "discovery/device.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/text.h"

namespace omv::discovery {

bool Device::is_board(const std::string& target) const {
  for (const auto& c : candidates)
    if (iequals(c.board->target, target)) return true;
  return false;
}

std::vector<std::string> Device::targets() const {
  std::vector<std::string> out;
  for (const auto& c : candidates)
    if (std::find(out.begin(), out.end(), c.board->target) == out.end()) out.push_back(c.board->target);
  return out;
}

std::string Device::board_label() const {
  const auto t = targets();
  if (t.size() <= 3) return join(t, "/");
  return fmt::format("any of {} boards", t.size());
}

std::string Device::location() const {
  if (!port.empty()) return port;
  if (usb) return usb->backend_path;
  if (hid) return hid->path;
  return {};
}

std::string Device::describe() const {
  std::string s = fmt::format("{} ({}, {})", board_label(), mode(), format_usb_id(id));
  if (!serial.empty()) s += " serial " + serial;
  if (!location().empty()) s += " at " + location();
  else if (!bus_port.empty()) s += " on USB port " + bus_port;
  return s;
}

nlohmann::json to_json(const Device& d) {
  nlohmann::json boards = nlohmann::json::array();
  for (const auto& t : d.targets()) boards.push_back(t);
  const auto* first = d.candidates.front().board;
  nlohmann::json j = {{"board", d.targets().size() == 1 ? nlohmann::json(first->target) : nlohmann::json(nullptr)},
                      {"boards", boards},
                      {"name", d.targets().size() == 1 ? first->name : std::string()},
                      {"mode", d.mode()},
                      {"kind", to_string(d.kind())},
                      {"usb_id", format_usb_id(d.id)},
                      {"serial", d.serial},
                      {"port", d.port.empty() ? nlohmann::json(nullptr) : nlohmann::json(d.port)},
                      {"path", d.location()},
                      {"bus_port", d.bus_port},
                      {"transports", nlohmann::json::array()},
                      {"accessible", d.accessible}};
  if (d.tty) j["transports"].push_back("serial");
  if (d.usb) j["transports"].push_back("usb");
  if (d.hid) j["transports"].push_back("hid");
  if (!d.accessible) {
    j["problem"] = d.problem;
    j["fix"] = d.fix;
  }
  return j;
}

}  // namespace omv::discovery
