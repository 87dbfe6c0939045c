#include "platform/folder_watch.h"

#include <poll.h>
#include <sys/inotify.h>
#include <unistd.h>

#include <algorithm>
#include <thread>

namespace omv::platform::linux_impl {
namespace {

constexpr uint32_t kChanges = IN_CREATE | IN_DELETE | IN_ATTRIB | IN_MOVED_TO | IN_CLOSE_WRITE;

void add_watches(int fd, const std::vector<WatchedFolder>& folders) {
  for (const auto& f : folders) {
    ::inotify_add_watch(fd, f.path.c_str(), kChanges | IN_ONLYDIR);
    if (!f.subfolders) continue;
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(f.path, ec))
      if (e.is_directory(ec)) ::inotify_add_watch(fd, e.path().c_str(), kChanges | IN_ONLYDIR);
  }
}

}  // namespace

bool wait_for_folder_change(const std::vector<WatchedFolder>& folders, const ReadyCheck& ready,
                            std::chrono::milliseconds timeout, std::chrono::milliseconds recheck) {
  if (ready()) return true;  // already there: no watch needed
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  const int fd = ::inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
  if (fd >= 0) add_watches(fd, folders);  // watch first, then check: no change slips between the two
  bool ok = false;
  for (;;) {
    if (ready()) {
      ok = true;
      break;
    }
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    const int wait_ms = static_cast<int>(std::min(left, recheck).count());
    pollfd p{fd, POLLIN, 0};
    if (::poll(fd >= 0 ? &p : nullptr, fd >= 0 ? 1 : 0, wait_ms) > 0) {
      char buf[4096];
      while (::read(fd, buf, sizeof buf) > 0) {
      }
      add_watches(fd, folders);  // folders that appeared since
    }
  }
  // Closing an inotify instance waits for a kernel grace period (5-30 ms measured here); the
  // caller has a device to talk to now and does not wait for that.
  if (fd >= 0) std::thread([fd] { ::close(fd); }).detach();
  return ok;
}

}  // namespace omv::platform::linux_impl
