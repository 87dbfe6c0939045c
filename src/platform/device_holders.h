#pragma once
// Which other processes have a device node open: the usual reason a camera's serial port is
// silent or busy. Linux reads /proc/PID/fd; the POSIX layer has no portable way to ask and
// returns nullopt, which callers turn into "cannot tell" rather than "nobody".
#include <optional>
#include <string>
#include <vector>

#include "platform/os.h"

namespace omv::platform {

struct DeviceHolder {
  int pid = 0;
  std::string name;  // the process's command name
};

// Every process except this one with the character device `path` open.
#define OMV_PLATFORM_DEVICE_HOLDERS std::optional<std::vector<DeviceHolder>> device_holders(const std::string& path);
namespace linux_impl { OMV_PLATFORM_DEVICE_HOLDERS }
namespace posix_impl { OMV_PLATFORM_DEVICE_HOLDERS }
namespace linux_impl { inline constexpr bool kNamesHolders = true; }
namespace posix_impl { inline constexpr bool kNamesHolders = false; }
#undef OMV_PLATFORM_DEVICE_HOLDERS

}  // namespace omv::platform
