#include "discovery/bootloader.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/error.h"
#include "core/text.h"
#include "discovery/port_holders.h"
#include "discovery/scan.h"
#include "discovery/select.h"
#include "transport/serial.h"

namespace omv::discovery {
namespace {

using Clock = std::chrono::steady_clock;
constexpr std::chrono::milliseconds kDefaultWait{10000};

bool in_flash_mode(const Device& d, const boards::Board& board) {
  if (!d.is_board(board.target)) return false;
  const auto modes = flash_modes(board);
  for (const auto& c : d.candidates)
    if (iequals(c.board->target, board.target) && std::find(modes.begin(), modes.end(), c.mode) != modes.end())
      return true;
  return false;
}

const transport::UsbInterfaceInfo* rp2040_reset_interface(const Device& d) {
  if (!d.usb) return nullptr;
  for (const auto& i : d.usb->interfaces)
    if (i.cls == 0xFF && i.subclass == 0x00 && i.protocol == 0x01) return &i;
  return nullptr;
}

// Adds "the port is also open in ..." to errors from a silent, busy or garbled port.
[[noreturn]] void rethrow_with_holders(const Error& e, const std::string& port) {
  const auto found = port_holders(port);
  if (!found)
    throw Error(e.kind(), fmt::format("{} (this OS cannot tell which other program has {} open)", e.what(), port),
                e.hint().empty() ? "close any serial terminal, the OpenMV IDE or another omv using the port" : e.hint());
  const auto holders = describe_holders(*found);
  if (holders.empty()) throw e;
  throw Error(e.kind(), fmt::format("{} ({} is also open in {})", e.what(), port, holders),
              "close the other program (a serial terminal, the OpenMV IDE, another omv); ModemManager probes new "
              "ports for a few seconds: wait, or 'omv udev install' keeps it off cameras");
}

struct ResetDone {
  std::string method;
  bool forced = true;
  nlohmann::json details = nlohmann::json::object();
};

ResetDone reset_over_protocol(const Device& camera, const BootloaderOptions& options) {
  if (camera.port.empty())
    fail(ErrorKind::no_device,
         fmt::format("{} runs its firmware but omv found no serial port for it", camera.describe()),
         "the CDC serial port driver (cdc_acm) may be missing, or the port was not created yet; re-plug the camera");
  ResetDone done;
  try {
    auto port = transport::open_serial_port(camera.port, protocol::openmv::kMagicBaud);
    port->set_dtr(true);
    const auto outcome = protocol::openmv::reset_to_bootloader(*port, options.reset);
    done.method = fmt::format("{} over {}", outcome.command, camera.port);
    done.forced = outcome.forced;
    done.details["protocol"] = outcome.dialect == protocol::openmv::Dialect::openmv_protocol ? "openmv" : "legacy";
    done.details["command"] = outcome.command;
    if (outcome.versions) {
      done.details["firmware_version"] = outcome.versions->firmware.str();
      done.details["bootloader_version"] = outcome.versions->bootloader.str();
      done.details["protocol_version"] = outcome.versions->protocol.str();
    }
    if (outcome.legacy_firmware)
      done.details["firmware_version"] = fmt::format("{}.{}.{}", outcome.legacy_firmware->major,
                                                     outcome.legacy_firmware->minor, outcome.legacy_firmware->patch);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::permission) throw;
    rethrow_with_holders(e, camera.port);
  }
  return done;
}

ResetDone reset_camera(const Device& camera, const Sources& sources, const BootloaderOptions& options) {
  if (camera.mode().rfind("app_touch", 0) == 0) {
    if (camera.port.empty())
      fail(ErrorKind::no_device, fmt::format("{} has no serial port for the 1200-baud touch", camera.describe()));
    try {
      transport::touch_serial_port(camera.port, 1200);
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::permission) throw;
      rethrow_with_holders(e, camera.port);
    }
    return {fmt::format("1200-baud touch on {}", camera.port), true, {{"command", "touch_1200"}}};
  }
  if (const auto* itf = rp2040_reset_interface(camera); itf && sources.usb) {
    auto device = sources.usb->open(*camera.usb);
    try {
      device->control_out(0x21, 0x01, 0, itf->number, {}, transport::Millis(1000));  // RESET_REQUEST_BOOTSEL
    } catch (const Error& e) {
      // The device may drop off the bus before it completes the request.
      if (e.kind() != ErrorKind::no_device && e.kind() != ErrorKind::timeout) throw;
    }
    return {fmt::format("BOOTSEL request on the reset interface of {}", camera.location()), true,
            {{"command", "reset_interface"}}};
  }
  return reset_over_protocol(camera, options);
}

std::chrono::milliseconds wait_budget(const boards::Board& board, const BootloaderOptions& options) {
  if (options.wait.count() > 0) return options.wait;
  if (auto ms = board.loader_number("bootloader_wait_ms")) return std::chrono::milliseconds(*ms);
  return kDefaultWait;
}

}  // namespace

BootloaderResult enter_bootloader(const boards::Board& board, const Device& camera, const Sources& sources,
                                  const IdentityTable& table, const BootloaderOptions& options, Reporter& reporter) {
  BootloaderResult result;
  if (in_flash_mode(camera, board)) {
    result.device = camera;
    result.method = "already in its bootloader";
    return result;
  }

  // Loader devices of this board that are there before the reset cannot be the one we wait for.
  std::set<std::string> before;
  for (const auto& d : scan(table, sources))
    if (in_flash_mode(d, board)) before.insert(camera_key(d) + "|" + d.location());

  reporter.begin("reset", 0, fmt::format("resetting {} into its bootloader", camera.describe()), "");
  BootloaderOptions reset_options = options;
  if (auto how = board.loader.find("bootloader_entry"); how != board.loader.end() && how->second == "plain_reset")
    reset_options.reset.plain_reset = true;  // its bootloader runs after every reset
  const ResetDone done = reset_camera(camera, sources, reset_options);
  const auto reset_at = Clock::now();
  reporter.end(done.method, done.details);

  const auto budget = wait_budget(board, options);
  reporter.begin("wait", 0, fmt::format("waiting up to {} ms for the bootloader", budget.count()), "");
  std::optional<Device> found;
  std::vector<std::string> strangers;
  bool left_the_bus = false, came_back_running = false, still_running = false, saw_inaccessible = false;
  std::string inaccessible_problem, inaccessible_fix;
  sources.wait_until(
      [&] {
        bool running = false;
        for (const auto& d : scan(table, sources)) {
          if (same_camera(d, camera) && d.kind() == ModeKind::running) running = true;
          if (!in_flash_mode(d, board)) continue;
          const bool mine = same_camera(d, camera) ||
                            (camera.serial.empty() && camera.bus_port.empty() &&
                             !before.count(camera_key(d) + "|" + d.location()));
          if (!mine) {
            if (!before.count(camera_key(d) + "|" + d.location()) &&
                std::find(strangers.begin(), strangers.end(), d.describe()) == strangers.end())
              strangers.push_back(d.describe());
            continue;
          }
          if (!d.accessible) {
            saw_inaccessible = true;
            inaccessible_problem = d.problem;
            inaccessible_fix = d.fix;
            continue;  // udev may still be applying its rules: an IN_ATTRIB wakes us
          }
          found = d;
          return true;
        }
        // Gone from the bus and back running its firmware: whatever bootloader ran in between
        // has handed over, and no other will come without another reset.
        if (!running) left_the_bus = true;
        came_back_running = running && left_the_bus;
        still_running = running && !left_the_bus;
        return came_back_running;
      },
      budget);
  result.reset_to_appearance = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - reset_at);

  if (!found) {
    reporter.end(came_back_running ? "came back running its firmware" : "not found");
    if (saw_inaccessible)
      fail(ErrorKind::permission, fmt::format("{} entered its bootloader but omv cannot open it: {}", camera.describe(),
                                              inaccessible_problem),
           inaccessible_fix);
    if (!strangers.empty())
      fail(ErrorKind::no_device,
           fmt::format("waiting for {} in its bootloader, a different camera appeared instead: {}", camera.describe(),
                       join(strangers, "; ")),
           "another camera was reset or plugged in at the same time; run again with --serial to pick one");
    if (came_back_running)
      fail(ErrorKind::timeout,
           fmt::format("{} came back running its firmware {} ms after {}, and its bootloader was not seen",
                       camera.describe(), result.reset_to_appearance.count(), done.method),
           "the bootloader may be missing or too old to stay in DFU mode; 'omv list' shows the camera");
    fail(ErrorKind::timeout,
         fmt::format("{} did not appear in its bootloader within {} ms after {}{}", camera.describe(), budget.count(),
                     done.method, still_running ? "; it is still running its firmware" : ""),
         still_running ? "the bootloader may be missing or too old to stay in DFU mode; 'omv list' shows the camera"
                       : "press the camera's reset button or unplug and re-plug it, then run 'omv list'");
  }
  reporter.end(fmt::format("{} after {} ms", found->describe(), result.reset_to_appearance.count()));
  result.device = *found;
  result.entered = true;
  result.method = done.method;
  result.forced = done.forced;
  result.details = done.details;
  // A board whose bootloader runs after every reset is reset plainly by design, not for its age.
  if (!result.forced && !reset_options.reset.plain_reset)
    reporter.warn(fmt::format("bootloader {} is older than 1.0.2, so it was entered by a plain reset: it returns to "
                              "the firmware 1.5 s after the reset unless a transfer starts",
                              done.details.value("bootloader_version", std::string("?"))));
  return result;
}

BootloaderResult find_or_enter_bootloader(const boards::Board& board, const Sources& sources, const IdentityTable& table,
                                          const BootloaderOptions& options, Reporter& reporter) {
  const Device camera = select_one(scan(table, sources), board, options.serial);
  if (!camera.accessible && !in_flash_mode(camera, board))
    fail(ErrorKind::permission, fmt::format("cannot open {}: {}", camera.describe(), camera.problem), camera.fix);
  return enter_bootloader(board, camera, sources, table, options, reporter);
}

bool enter_running_camera(const boards::Board& board, const Sources& sources, const IdentityTable& table,
                          const BootloaderOptions& options, Reporter& reporter) {
  std::vector<Device> running;
  for (auto& d : cameras_of(scan(table, sources), board, options.serial))
    if (d.kind() == ModeKind::running) running.push_back(std::move(d));
  if (running.empty()) return false;
  if (running.size() > 1) select_one(running, board, options.serial);  // throws, listing them
  if (!running.front().accessible)
    fail(ErrorKind::permission, fmt::format("cannot open {}: {}", running.front().describe(), running.front().problem),
         running.front().fix);
  enter_bootloader(board, running.front(), sources, table, options, reporter);
  return true;
}

nlohmann::json to_json(const BootloaderResult& result) {
  nlohmann::json j = {{"device", to_json(result.device)},
                      {"entered", result.entered},
                      {"method", result.method},
                      {"forced", result.forced},
                      {"reset_to_appearance_ms", result.reset_to_appearance.count()}};
  if (!result.details.empty()) j["details"] = result.details;
  return j;
}

}  // namespace omv::discovery
