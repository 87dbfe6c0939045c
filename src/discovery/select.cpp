#include "discovery/select.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "core/text.h"

namespace omv::discovery {
namespace {

bool usable_mode(const Device& d, const boards::Board& board) {
  const auto modes = flash_modes(board);
  for (const auto& c : d.candidates) {
    if (c.board != &board && !iequals(c.board->target, board.target)) continue;
    if (c.kind == ModeKind::running) return true;
    if (std::find(modes.begin(), modes.end(), c.mode) != modes.end()) return true;
  }
  return false;
}

[[noreturn]] void none_found(const std::vector<Device>& devices, const boards::Board& board, const std::string& serial) {
  std::vector<std::string> others;
  std::string hint;
  for (const auto& d : devices) {
    if (d.is_board(board.target) && !usable_mode(d, board)) {
      others.push_back(d.describe());
      if (d.kind() == ModeKind::rom)
        hint = fmt::format("the camera is in its ROM loader ({}): its own bootloader is missing or the BOOT "
                           "pin is set; restore the bootloader first",
                           format_usb_id(d.id));
    } else if (!serial.empty() && d.is_board(board.target)) {
      others.push_back(d.describe());
    }
  }
  if (hint.empty())
    hint = serial.empty() ? "connect the camera over USB (a data cable); 'omv list' shows what omv sees"
                          : "'omv list' shows the serial numbers of the attached cameras";
  std::string message = serial.empty() ? fmt::format("no {} camera found", board.target)
                                       : fmt::format("no {} camera with serial number {} found", board.target, serial);
  if (!others.empty()) message += "; attached: " + join(others, "; ");
  fail(ErrorKind::no_device, message, hint);
}

}  // namespace

std::string camera_key(const Device& device) {
  if (!device.serial.empty()) return "serial:" + to_upper(device.serial);
  if (!device.bus_port.empty()) return "port:" + device.bus_port;
  return "path:" + device.location();
}

bool same_camera(const Device& a, const Device& b) {
  if (!a.serial.empty() && !b.serial.empty()) return iequals(a.serial, b.serial);
  if (!a.bus_port.empty() && !b.bus_port.empty()) return a.bus_port == b.bus_port;
  return false;
}

std::vector<Device> cameras_of(const std::vector<Device>& devices, const boards::Board& board, const std::string& serial) {
  std::vector<Device> out;
  for (const auto& d : devices) {
    if (!d.is_board(board.target) || !usable_mode(d, board)) continue;
    if (!serial.empty() && !iequals(d.serial, serial)) continue;
    out.push_back(d);
  }
  return out;
}

std::vector<Device> select_all(const std::vector<Device>& devices, const boards::Board& board, const std::string& serial) {
  auto found = cameras_of(devices, board, serial);
  if (found.empty()) none_found(devices, board, serial);
  return found;
}

Device select_one(const std::vector<Device>& devices, const boards::Board& board, const std::string& serial) {
  auto found = select_all(devices, board, serial);
  if (found.size() == 1) return found.front();
  std::vector<std::string> lines;
  for (const auto& d : found) lines.push_back(d.describe());
  fail(ErrorKind::usage,
       fmt::format("{} {} cameras are attached: {}", found.size(), board.target, join(lines, "; ")),
       found.front().serial.empty() ? "unplug all but one, or use --all"
                                    : fmt::format("pick one with --serial (e.g. --serial {}), or use --all for every one",
                                                  found.front().serial));
}

}  // namespace omv::discovery
