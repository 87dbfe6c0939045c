#include "core/text.h"

#include <gtest/gtest.h>

namespace omv {

TEST(Text, EditDistanceIgnoresCase) {
  EXPECT_EQ(edit_distance("openmv4", "OPENMV4"), 0u);
  EXPECT_EQ(edit_distance("OPENMV5", "OPENMV4"), 1u);
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

TEST(Text, NearestSuggestsCloseTargets) {
  std::vector<std::string> targets = {"OPENMV2", "OPENMV3", "OPENMV4", "OPENMV4P", "OPENMV_N6", "ARDUINO_GIGA"};
  auto close = nearest("OPENMV5", targets);
  ASSERT_FALSE(close.empty());
  EXPECT_NE(std::find(close.begin(), close.end(), "OPENMV4"), close.end());
  EXPECT_TRUE(nearest("XYZZY_COMPLETELY_DIFFERENT", targets).empty());
  auto giga = nearest("giga", targets);
  ASSERT_FALSE(giga.empty());
  EXPECT_EQ(giga.front(), "ARDUINO_GIGA");
}

}  // namespace omv
