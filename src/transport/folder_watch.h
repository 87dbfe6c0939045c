#pragma once
// Waiting for a device to appear: the folders where devices show up are watched
// (platform/folder_watch.h: inotify on Linux, scans elsewhere), and the caller's check runs
// again after each change, and at least every `recheck` in case a change is missed.
#include <chrono>
#include <filesystem>
#include <functional>
#include <optional>
#include <vector>

#include "platform/folder_watch.h"

namespace omv::transport {

using platform::WatchedFolder;

// Returns as soon as ready() is true (true), or false once the timeout has passed.
bool wait_for_folder_change(const std::vector<WatchedFolder>& folders, const std::function<bool()>& ready,
                            std::chrono::milliseconds timeout,
                            std::chrono::milliseconds recheck = std::chrono::milliseconds(100));

// The folders where USB devices and their nodes appear: /dev (tty*, hidraw*) and /dev/bus/usb.
// udev changes a node's owner and mode right after it appears, which is watched too.
bool wait_for_device_nodes(const std::function<bool()>& ready, std::chrono::milliseconds timeout);

// The first device `enumerate()` lists that `match` accepts, looking again whenever
// `wait(ready)` (one of the waits above) wakes.
template <class Enumerate, class Match, class Wait>
auto wait_for_match(Enumerate enumerate, const Match& match, Wait wait)
    -> std::optional<typename decltype(enumerate())::value_type> {
  std::optional<typename decltype(enumerate())::value_type> found;
  wait([&] {
    for (auto& d : enumerate())
      if (match(d)) {
        found = d;
        return true;
      }
    return false;
  });
  return found;
}

}  // namespace omv::transport
