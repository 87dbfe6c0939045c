#include "flash/nxp_device.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/numbers.h"
#include "core/text.h"
#include "protocol/nxp/mboot_codes.h"

namespace omv::flash {
namespace mb = protocol::nxp::mboot;

namespace {

uint32_t number(const boards::Board& board, const char* key, uint32_t fallback) {
  return static_cast<uint32_t>(board.loader_number(key).value_or(fallback));
}

std::string device_line(const transport::HidDeviceInfo& d) {
  std::string s = format_usb_id(d.id);
  if (!d.serial.empty()) s += " serial " + d.serial;
  return s;
}

}  // namespace

NxpLoaderParams nxp_loader_params(const boards::Board& b) {
  NxpLoaderParams p;
  p.flashloader_address = number(b, "sdp_flashloader_address", p.flashloader_address);
  p.config_address = number(b, "config_address", p.config_address);
  p.flexspi_config_word = number(b, "flexspi_config_word", p.flexspi_config_word);
  p.fcb_config_word = number(b, "fcb_config_word", p.fcb_config_word);
  p.memory_id = number(b, "memory_id", p.memory_id);
  p.efuse_boot_index = number(b, "efuse_boot_address", p.efuse_boot_index);
  p.efuse_boot_value = number(b, "efuse_boot_value", p.efuse_boot_value);
  p.erase_timeout = std::chrono::milliseconds(number(b, "erase_timeout_ms", 120000));
  p.sbl_window = std::chrono::milliseconds(number(b, "sbl_window_ms", 1000));
  p.command_timeout = std::chrono::milliseconds(number(b, "command_timeout_ms", 5000));
  p.flashloader_boot = std::chrono::milliseconds(number(b, "flashloader_boot_ms", 10000));
  return p;
}

mb::ClientOptions nxp_client_options(const NxpLoaderParams& params) {
  mb::ClientOptions o;
  o.command_timeout = params.command_timeout;
  o.erase_timeout = params.erase_timeout;
  return o;
}

std::optional<transport::HidDeviceInfo> find_hid(transport::HidBus& bus, UsbId id, const std::string& serial) {
  std::vector<transport::HidDeviceInfo> found;
  for (auto& d : bus.enumerate())
    if (d.id == id && (serial.empty() || iequals(d.serial, serial))) found.push_back(d);
  if (found.empty()) return std::nullopt;
  if (found.size() > 1) {
    std::vector<std::string> serials;
    for (const auto& d : found) serials.push_back(d.serial.empty() ? d.path : d.serial);
    fail(ErrorKind::usage, fmt::format("{} devices {} are attached", found.size(), format_usb_id(id)),
         "pick one with --serial: " + join(serials, ", "));
  }
  if (!found.front().accessible)
    fail(ErrorKind::permission, fmt::format("cannot open {}: {}", device_line(found.front()), found.front().access_error),
         "install the udev rules: omv udev install");
  return found.front();
}

std::string version_string(uint32_t v) {
  char mark = static_cast<char>(v >> 24);
  if (mark < 'A' || mark > 'Z') return fmt::format("0x{:08X}", v);
  return fmt::format("{}{}.{}.{}", mark, (v >> 16) & 0xFF, (v >> 8) & 0xFF, v & 0xFF);
}

ClaimedLoader claim_mcu_bootloader(const boards::Board& board, transport::HidBus& bus, const std::string& serial,
                                   Reporter& reporter, std::chrono::milliseconds wait) {
  const UsbId id = board.usb_id("flashloader").value_or(UsbId{0x15A2, 0x0073});
  const NxpLoaderParams params = nxp_loader_params(board);
  auto info = find_hid(bus, id, serial);
  if (!info && wait.count() > 0) {
    reporter.begin("wait", 0, fmt::format("waiting for the {} bootloader ({})", board.name, format_usb_id(id)), "");
    info = bus.wait_for([&](const transport::HidDeviceInfo& d) { return d.id == id && (serial.empty() || iequals(d.serial, serial)); },
                        wait);
    reporter.end(info ? "found " + device_line(*info) : "gave up");
  }
  if (!info) {
    std::vector<std::string> others;
    for (const auto& d : bus.enumerate()) others.push_back(device_line(d));
    const auto rom = board.usb_id("rom");
    bool rom_present = rom && find_hid(bus, *rom, serial).has_value();
    fail(ErrorKind::no_device,
         fmt::format("no {} bootloader ({}) found{}", board.name, format_usb_id(id),
                     others.empty() ? "" : "; HID devices present: " + join(others, ", ")),
         rom_present ? fmt::format("the camera is in its serial-download ROM (SBL jumper fitted, or no bootloader on "
                                   "it): run 'omv recover {} --flashloader FILE --sbl FILE'", board.target)
                     : fmt::format("run omv first, then reset the camera: its bootloader stays on USB for only about "
                                   "{} ms (or pass --wait SECONDS)", params.sbl_window.count()));
  }
  ClaimedLoader claimed;
  try {
    // Open and speak at once: a command within the window keeps the secure bootloader.
    claimed.device = bus.open(*info);
    claimed.client = std::make_unique<mb::Client>(*claimed.device, nxp_client_options(params));
    claimed.version = claimed.client->current_version();
  } catch (const mb::StatusError&) {
    throw;
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::no_device && e.kind() != ErrorKind::timeout) throw;
    fail(ErrorKind::no_device,
         fmt::format("the {} bootloader ({}) left the bus before it answered: its window after reset (about {} ms) "
                     "closed and the camera started its firmware",
                     board.name, format_usb_id(id), params.sbl_window.count()),
         fmt::format("start omv first and reset the camera while it waits (omv waits with --wait SECONDS), or fit "
                     "the SBL jumper and run 'omv recover {} --flashloader FILE --sbl FILE'",
                     board.target));
  }
  return claimed;
}

void ensure_flexspi_configured(mb::Client& client, const NxpLoaderParams& params, Reporter& reporter) {
  try {
    client.get_property(mb::property::external_memory_attributes, params.memory_id);
    return;
  } catch (const mb::StatusError& e) {
    if (e.status() != mb::status::memory_not_configured) return;  // cannot tell: leave it as it is
  }
  reporter.info(fmt::format("configuring the external flash (FlexSPI NOR option 0x{:08X})", params.flexspi_config_word));
  client.fill_memory(params.config_address, 4, params.flexspi_config_word);
  client.configure_memory(params.memory_id, params.config_address);
}

}  // namespace omv::flash
