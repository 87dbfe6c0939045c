#include "transport/folder_watch.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <thread>

namespace omv::transport {
namespace {

namespace fs = std::filesystem;
using std::chrono::milliseconds;

struct TempFolder {
  fs::path path = fs::temp_directory_path() / ("omv-folder-watch-" + std::to_string(::getpid()));
  TempFolder() { fs::create_directories(path / "camera"); }
  ~TempFolder() { fs::remove_all(path); }
};

TEST(FolderWatch, ReturnsAtOnceWhenAlreadyReady) {
  TempFolder dir;
  int checks = 0;
  EXPECT_TRUE(wait_for_folder_change({{dir.path, true}}, [&] { return ++checks > 0; }, milliseconds(60000)));
  EXPECT_EQ(checks, 1);
}

// Waits for `record` while `change` runs on another thread. The recheck period is far beyond
// the timeout: only an inotify event can end the wait with the file there.
bool wait_for_file(const TempFolder& dir, const fs::path& record, const std::function<void()>& change) {
  std::thread writer(change);
  bool ok = wait_for_folder_change({{dir.path, true}}, [&] { return fs::exists(record); }, milliseconds(30000),
                                   milliseconds(3600000));
  writer.join();
  return ok;
}

TEST(FolderWatch, WakesWhenAFileAppearsInASubfolder) {
  TempFolder dir;
  const auto record = dir.path / "camera" / "device.json";
  EXPECT_TRUE(wait_for_file(dir, record, [&] {
    std::this_thread::sleep_for(milliseconds(50));
    std::ofstream(record) << "{}";
  }));
}

TEST(FolderWatch, WatchesAFolderCreatedWhileWaiting) {
  TempFolder dir;
  const auto record = dir.path / "new-camera" / "device.json";
  EXPECT_TRUE(wait_for_file(dir, record, [&] {
    std::this_thread::sleep_for(milliseconds(50));
    fs::create_directories(record.parent_path());
    std::this_thread::sleep_for(milliseconds(50));
    std::ofstream(record) << "{}";
  }));
}

TEST(FolderWatch, GivesUpAfterTheTimeout) {
  TempFolder dir;
  int checks = 0;
  EXPECT_FALSE(wait_for_folder_change({{dir.path, true}}, [&] { return ++checks < 0; }, milliseconds(30), milliseconds(10)));
  EXPECT_GE(checks, 2);  // checked before watching, and again after each recheck period
}

}  // namespace
}  // namespace omv::transport
