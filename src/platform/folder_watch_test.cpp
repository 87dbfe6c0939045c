#include "platform/folder_watch.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>
#include <thread>

#include "platform/impls_test.h"

namespace omv::platform::folder_watch_test {
namespace fs = std::filesystem;
using namespace std::chrono_literals;

template <class T>
class FolderWatch : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/omv-folder-watch-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir = pattern;
  }
  void TearDown() override { fs::remove_all(dir); }
  fs::path dir;
};
TYPED_TEST_SUITE(FolderWatch, impls_test::Impls, impls_test::ImplName);

TYPED_TEST(FolderWatch, SeesAFileAppearLongBeforeTheRecheck) {
  const fs::path file = this->dir / "sub" / "camera.json";
  fs::create_directories(file.parent_path());
  std::thread writer([&] {
    std::this_thread::sleep_for(50ms);
    std::ofstream(file) << "{}";
  });
  int checks = 0;
  const auto start = std::chrono::steady_clock::now();
  // A 10 s recheck: only a seen change can end the wait early.
  const bool seen = TypeParam::wait_for_folder_change(
      {{this->dir, true}}, [&] { return ++checks, fs::exists(file); }, 5s, 10s);
  writer.join();
  EXPECT_TRUE(seen);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
  EXPECT_GE(checks, 2);
}

TYPED_TEST(FolderWatch, TimesOutWhenNothingChanges) {
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(TypeParam::wait_for_folder_change({{this->dir, false}}, [] { return false; }, 100ms, 30ms));
  EXPECT_GE(std::chrono::steady_clock::now() - start, 90ms);  // poll() takes whole milliseconds
}

TYPED_TEST(FolderWatch, AReadyCheckNeedsNoWatch) {
  EXPECT_TRUE(TypeParam::wait_for_folder_change({{"/nonexistent/omv", false}}, [] { return true; }, 0ms, 10ms));
}

}  // namespace omv::platform::folder_watch_test
