#include "build/toolchain.h"

#include <gtest/gtest.h>

namespace omv::build {
namespace {

TEST(Toolchain, ParsesGccVersions) {
  auto v = parse_gcc_version("12.2.1\n");
  ASSERT_TRUE(v);
  EXPECT_EQ(v->major, 12);
  EXPECT_EQ(v->minor, 2);
  EXPECT_EQ(v->patch, 1);
  EXPECT_EQ(v->text, "12.2.1");
  EXPECT_FALSE(v->at_least(14, 3));
  EXPECT_TRUE(parse_gcc_version("14.3.1")->at_least(14, 3));
  EXPECT_TRUE(parse_gcc_version("15.0")->at_least(14, 3));
  EXPECT_FALSE(parse_gcc_version("14.2.1")->at_least(14, 3));
  EXPECT_FALSE(parse_gcc_version("14")->at_least(14, 3));  // what -dumpversion prints on some builds
  EXPECT_FALSE(parse_gcc_version("gcc: not found"));
  EXPECT_FALSE(parse_gcc_version(""));
}

TEST(Toolchain, CortexM55Only) {
  EXPECT_TRUE(is_cortex_m55("cortex-m55"));
  EXPECT_TRUE(is_cortex_m55(" Cortex-M55 "));
  EXPECT_FALSE(is_cortex_m55("cortex-m7"));
}

}  // namespace
}  // namespace omv::build
