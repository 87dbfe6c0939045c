#include "transport/folder_watch.h"

namespace omv::transport {

bool wait_for_folder_change(const std::vector<WatchedFolder>& folders, const std::function<bool()>& ready,
                            std::chrono::milliseconds timeout, std::chrono::milliseconds recheck) {
  return platform::os::wait_for_folder_change(folders, ready, timeout, recheck);
}

bool wait_for_device_nodes(const std::function<bool()>& ready, std::chrono::milliseconds timeout) {
  return wait_for_folder_change({{"/dev", false}, {"/dev/bus/usb", true}}, ready, timeout);
}

}  // namespace omv::transport
