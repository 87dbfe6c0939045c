#pragma once
// Waiting for something to appear in a few folders (device nodes in /dev, a sim bus's camera
// records): the caller's check runs again after each change, and at least every `recheck`.
// Linux watches with inotify; POSIX compares a scan of the folders (names, inode, mode, owner,
// size, mtime) every few milliseconds, which is what kqueue would tell about /dev anyway.
#include <chrono>
#include <filesystem>
#include <functional>
#include <vector>

#include "platform/os.h"

namespace omv::platform {

struct WatchedFolder {
  std::filesystem::path path;
  bool subfolders = false;  // also every folder directly inside it (camera folders, /dev/bus/usb/NNN)
};

using ReadyCheck = std::function<bool()>;

// Returns as soon as ready() is true (true), or false once the timeout has passed.
#define OMV_PLATFORM_FOLDER_WATCH                                                                           \
  bool wait_for_folder_change(const std::vector<WatchedFolder>& folders, const ReadyCheck& ready,         \
                              std::chrono::milliseconds timeout, std::chrono::milliseconds recheck);
namespace linux_impl { OMV_PLATFORM_FOLDER_WATCH }
namespace posix_impl { OMV_PLATFORM_FOLDER_WATCH }
#undef OMV_PLATFORM_FOLDER_WATCH

}  // namespace omv::platform
