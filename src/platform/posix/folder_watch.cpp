#include <sys/stat.h>

#include <algorithm>
#include <thread>
#include <tuple>

#include "platform/folder_watch.h"

namespace omv::platform::posix_impl {
namespace {

// A change in a folder shows in one of these for one of its entries.
struct EntryState {
  std::string path;
  ino_t inode = 0;
  mode_t mode = 0;
  uid_t uid = 0;
  gid_t gid = 0;
  off_t size = 0;
  time_t mtime = 0;
  bool operator==(const EntryState& o) const {
    return std::tie(path, inode, mode, uid, gid, size, mtime) ==
           std::tie(o.path, o.inode, o.mode, o.uid, o.gid, o.size, o.mtime);
  }
};

void scan_folder(const std::filesystem::path& folder, std::vector<EntryState>& out,
                 std::vector<std::filesystem::path>* subfolders) {
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(folder, ec)) {
    struct stat st {};
    if (::lstat(e.path().c_str(), &st) != 0) continue;
    out.push_back({e.path().string(), st.st_ino, st.st_mode, st.st_uid, st.st_gid, st.st_size, st.st_mtime});
    if (subfolders && S_ISDIR(st.st_mode)) subfolders->push_back(e.path());
  }
}

std::vector<EntryState> scan(const std::vector<WatchedFolder>& folders) {
  std::vector<EntryState> out;
  for (const auto& f : folders) {
    std::vector<std::filesystem::path> inner;
    scan_folder(f.path, out, f.subfolders ? &inner : nullptr);
    for (const auto& sub : inner) scan_folder(sub, out, nullptr);
  }
  std::sort(out.begin(), out.end(), [](const EntryState& a, const EntryState& b) { return a.path < b.path; });
  return out;
}

// How often the folders are scanned: short enough that a device is seen about as fast as
// inotify would report it, long enough that a scan of /dev costs nothing measurable.
constexpr std::chrono::milliseconds kScanEvery(20);

}  // namespace

bool wait_for_folder_change(const std::vector<WatchedFolder>& folders, const ReadyCheck& ready,
                            std::chrono::milliseconds timeout, std::chrono::milliseconds recheck) {
  if (ready()) return true;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto seen = scan(folders);  // scan first, then check: no change slips between the two
  for (;;) {
    if (ready()) return true;
    const auto next_check = std::chrono::steady_clock::now() + recheck;
    for (;;) {
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline) return false;
      if (now >= next_check) break;
      std::this_thread::sleep_for(std::min({kScanEvery, std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now),
                                            std::chrono::duration_cast<std::chrono::milliseconds>(next_check - now)}));
      auto now_seen = scan(folders);
      if (!(now_seen == seen)) {
        seen = std::move(now_seen);
        break;
      }
    }
  }
}

}  // namespace omv::platform::posix_impl
