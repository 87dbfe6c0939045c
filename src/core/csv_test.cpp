#include "core/csv.h"

#include <gtest/gtest.h>

namespace omv {

TEST(Csv, PlainFieldsStayAsTheyAre) {
  EXPECT_EQ(csv_line({"OPENMV4", "ABC123", "", "1024"}), "OPENMV4,ABC123,,1024\n");
}

TEST(Csv, QuotesFieldsWithSeparatorsQuotesAndLineBreaks) {
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\rhere"), "\"cr\rhere\"");
  EXPECT_EQ(csv_field(" padded"), "\" padded\"");
  EXPECT_EQ(csv_field("\""), "\"\"\"\"");
  EXPECT_EQ(csv_line({"x", "1,2"}), "x,\"1,2\"\n");
}

}  // namespace omv
