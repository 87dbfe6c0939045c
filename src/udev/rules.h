#pragma once
// udev rules for every device omv talks to, generated from the board data: each VID:PID in any
// mode gets group access (not world-writable) on its USB device node, serial port and hidraw
// node, the active local session gets access through the uaccess tag, and ModemManager is
// told to keep off the ports.
#include <filesystem>
#include <string>
#include <vector>

#include "boards/board_db.h"
#include "core/events.h"

namespace omv::udev {

std::string generate_rules(const boards::BoardDb& db, const std::string& group);

struct InstallOptions {
  std::string group;                 // default kDefaultGroup
  std::filesystem::path path;        // default kRulesFile
  bool reload = true;                // udevadm control --reload-rules + trigger
  std::string user;                  // whose group membership to check (default: SUDO_USER or the caller)
};

struct InstallResult {
  std::filesystem::path path;
  std::string group;
  bool group_created = false;
  bool reloaded = false;
  bool user_in_group = false;
  std::string user;
  std::vector<std::string> next_steps;  // what the user must still do, in order
};

InstallResult install_rules(const boards::BoardDb& db, const InstallOptions& options, Reporter& reporter);

}  // namespace omv::udev
