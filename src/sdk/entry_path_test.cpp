#include "sdk/entry_path.h"

#include <gtest/gtest.h>

namespace omv::sdk {
namespace {

TEST(EntryPath, StripsTheTopFolder) {
  auto c = check_entry_path("openmv-sdk-1.6.0-linux-x86_64/gcc/bin/arm-none-eabi-gcc", "");
  EXPECT_EQ(c.verdict, PathVerdict::inside);
  EXPECT_EQ(c.top, "openmv-sdk-1.6.0-linux-x86_64");
  EXPECT_EQ(c.inside, "gcc/bin/arm-none-eabi-gcc");
}

TEST(EntryPath, NormalisesDotsAndSlashes) {
  auto c = check_entry_path("./top//a/./b/", "top");
  EXPECT_EQ(c.verdict, PathVerdict::inside);
  EXPECT_EQ(c.inside, "a/b");
  EXPECT_EQ(check_entry_path("top/", "").verdict, PathVerdict::top_folder);
  EXPECT_EQ(check_entry_path("./top", "top").verdict, PathVerdict::top_folder);
}

TEST(EntryPath, RefusesEscapes) {
  EXPECT_EQ(check_entry_path("/etc/passwd", "").verdict, PathVerdict::absolute);
  EXPECT_EQ(check_entry_path("top/../../x", "").verdict, PathVerdict::dot_dot);
  EXPECT_EQ(check_entry_path("top/a/../b", "top").verdict, PathVerdict::dot_dot);
  EXPECT_EQ(check_entry_path("..", "").verdict, PathVerdict::dot_dot);
  EXPECT_EQ(check_entry_path("other/x", "top").verdict, PathVerdict::second_top);
  EXPECT_EQ(check_entry_path("", "").verdict, PathVerdict::empty);
  EXPECT_EQ(check_entry_path("./", "").verdict, PathVerdict::empty);
}

TEST(EntryPath, LinksMustStayInside) {
  EXPECT_TRUE(link_stays_inside("toolchain", "gcc/bin"));
  EXPECT_TRUE(link_stays_inside("gcc/bin/cc", "arm-none-eabi-gcc"));
  EXPECT_TRUE(link_stays_inside("gcc/bin/cc", "../../llvm/bin/clang"));
  EXPECT_TRUE(link_stays_inside("a/b", ".."));
  EXPECT_TRUE(link_stays_inside("a", "."));
  EXPECT_FALSE(link_stays_inside("a", ".."));
  EXPECT_FALSE(link_stays_inside("gcc/bin/cc", "../../../outside"));
  EXPECT_FALSE(link_stays_inside("x", "/etc/passwd"));
  EXPECT_FALSE(link_stays_inside("x", ""));
  EXPECT_FALSE(link_stays_inside("a/b", "c/../../../d"));
}

}  // namespace
}  // namespace omv::sdk
