#include "platform/dir_swap.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <fstream>

#include "platform/impls_test.h"

namespace omv::platform::dir_swap_test {
namespace fs = std::filesystem;

std::string content(const fs::path& folder) {
  std::ifstream in(folder / "sdk.version");
  std::string text;
  std::getline(in, text);
  return text;
}

template <class T>
class DirSwap : public ::testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/omv-dir-swap-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    root = pattern;
    target = root / "sdk";
    work = root / ".sdk.tmp-1";
    fs::create_directories(target);
    fs::create_directories(work);
    std::ofstream(target / "sdk.version") << "old\n";
    std::ofstream(work / "sdk.version") << "new\n";
  }
  void TearDown() override { fs::remove_all(root); }
  fs::path root, target, work;
};
TYPED_TEST_SUITE(DirSwap, impls_test::Impls, impls_test::ImplName);

TYPED_TEST(DirSwap, ReplacesAndCreates) {
  const char* what = "";
  EXPECT_EQ(TypeParam::replace_folder(this->work, this->target, what), 0);
  EXPECT_STREQ(what, "replace");
  EXPECT_EQ(content(this->target), "new");
  EXPECT_FALSE(fs::exists(swap_aside_path(this->target)));

  const fs::path fresh = this->root / "fresh";
  fs::create_directories(this->root / "w2");
  EXPECT_EQ(TypeParam::replace_folder(this->root / "w2", fresh, what), 0);
  EXPECT_STREQ(what, "create");
  EXPECT_TRUE(fs::is_directory(fresh));
}

// The POSIX swap is two renames; Linux's is one, and a crash leaves old or new by construction.
TYPED_TEST(DirSwap, ACrashBetweenTheRenamesLeavesTheOldFolder) {
  fs::rename(this->target, swap_aside_path(this->target));  // first rename done, then the crash
  TypeParam::recover_swap(this->target);
  if (TypeParam::is_linux) {
    EXPECT_FALSE(fs::exists(this->target));  // Linux never leaves this state: nothing to recover
    return;
  }
  EXPECT_EQ(content(this->target), "old");
  EXPECT_FALSE(fs::exists(swap_aside_path(this->target)));
  const char* what = "";
  EXPECT_EQ(TypeParam::replace_folder(this->work, this->target, what), 0);
  EXPECT_EQ(content(this->target), "new");
}

TYPED_TEST(DirSwap, ACrashAfterTheRenamesLeavesTheNewFolder) {
  if (TypeParam::is_linux) GTEST_SKIP() << "one rename on Linux";
  fs::rename(this->target, swap_aside_path(this->target));
  fs::rename(this->work, this->target);  // both renames done, the crash came before the cleanup
  TypeParam::recover_swap(this->target);
  EXPECT_EQ(content(this->target), "new");
  EXPECT_FALSE(fs::exists(swap_aside_path(this->target)));
}

TYPED_TEST(DirSwap, AFailedRenameSaysWhichAndKeepsTheOldFolder) {
  const char* what = "";
  EXPECT_NE(TypeParam::replace_folder(this->root / "missing", this->target, what), 0);
  EXPECT_STREQ(what, "replace");
  EXPECT_EQ(content(this->target), "old");
}

}  // namespace omv::platform::dir_swap_test
