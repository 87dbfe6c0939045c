#include "flash/bootloader_entry.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/numbers.h"
#include "core/text.h"

namespace omv::flash {
namespace {

std::vector<EntryHook>& hooks() {
  static std::vector<EntryHook> h;
  return h;
}

std::string device_line(const transport::UsbDeviceInfo& d) {
  std::string s = format_usb_id(d.id);
  if (!d.serial.empty()) s += " serial " + d.serial;
  if (!d.product.empty()) s += " \"" + d.product + "\"";
  return s;
}

}  // namespace

void register_bootloader_entry(EntryHook hook) { hooks().push_back(std::move(hook)); }

bool run_entry_hooks(const EntryRequest& request) {
  bool entered = false;
  for (const auto& hook : hooks()) entered = hook(request) || entered;
  return entered;
}

bool matches(const boards::Board& board, const std::string& mode, const std::string& serial,
             const transport::UsbDeviceInfo& device) {
  auto id = board.usb_id(mode);
  if (!id || !(device.id == *id)) return false;
  return serial.empty() || iequals(device.serial, serial);
}

transport::UsbDeviceInfo find_or_enter_bootloader(const EntryRequest& req, std::chrono::milliseconds wait) {
  auto id = req.board.usb_id(req.mode);
  if (!id)
    fail(ErrorKind::unsupported, req.board.target + " has no USB id for " + req.mode + " mode in its board data");
  auto match = [&](const transport::UsbDeviceInfo& d) { return matches(req.board, req.mode, req.serial, d); };
  const std::string wanted = fmt::format("{} in {} mode ({}{})", req.board.target, req.mode, format_usb_id(*id),
                                         req.serial.empty() ? "" : " serial " + req.serial);

  auto pick = [&](const std::vector<transport::UsbDeviceInfo>& all) -> std::optional<transport::UsbDeviceInfo> {
    std::vector<transport::UsbDeviceInfo> found;
    for (const auto& d : all)
      if (match(d)) found.push_back(d);
    if (found.empty()) return std::nullopt;
    if (found.size() > 1) {
      std::vector<std::string> serials;
      for (const auto& d : found) serials.push_back(d.serial.empty() ? d.bus_port : d.serial);
      fail(ErrorKind::usage, fmt::format("{} devices match {}", found.size(), wanted),
           "pick one with --serial: " + join(serials, ", "));
    }
    if (!found.front().accessible)
      fail(ErrorKind::permission, "cannot open " + wanted + " at " + found.front().bus_port + ": " +
                                      found.front().access_error);
    return found.front();
  };

  auto all = req.usb.enumerate();
  if (auto d = pick(all)) return *d;

  // --serial names a device that is something else: the wrong board is refused, not guessed at.
  // The same board in another mode (running its firmware) is left to the entry hooks.
  auto is_this_board = [&](const transport::UsbDeviceInfo& d) {
    for (const auto& [mode, board_id] : req.board.usb)
      if (d.id == board_id) return true;
    return false;
  };
  if (!req.serial.empty())
    for (const auto& d : all)
      if (iequals(d.serial, req.serial) && !is_this_board(d))
        fail(ErrorKind::refused,
             fmt::format("device {} is {}, not {}; nothing was written", req.serial, device_line(d), wanted),
             "check the TARGET and --serial");

  bool entered = false;
  for (const auto& hook : hooks()) entered = hook(req) || entered;
  auto budget = entered ? std::max(wait, std::chrono::milliseconds(10000)) : wait;
  if (budget.count() > 0) {
    req.reporter.begin("wait", 0, "waiting for " + wanted, "");
    auto d = req.usb.wait_for(match, budget);
    req.reporter.end(d ? "found " + device_line(*d) : "gave up");
    if (d) {
      if (auto p = pick(req.usb.enumerate())) return *p;
    }
    all = req.usb.enumerate();
  }
  std::vector<std::string> others;
  for (const auto& d : all) others.push_back(device_line(d));
  if (others.size() > 4) others.resize(4), others.push_back("...");
  fail(ErrorKind::no_device,
       "no " + wanted + " found" + (others.empty() ? " (no USB devices at all)" : "; found instead: " + join(others, ", ")),
       req.mode == "rom" ? "set the BOOT-RST jumper and reconnect the camera"
                         : "put the camera in its bootloader (or pass --wait SECONDS and reset it)");
}

}  // namespace omv::flash
