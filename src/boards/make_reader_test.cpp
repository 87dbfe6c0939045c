#include "boards/make_reader.h"

#include <gtest/gtest.h>

namespace omv::boards {

TEST(MakeReader, AssignmentFlavours) {
  auto mk = read_make(
      "A = one\n"
      "B := $(A) two\n"
      "C = $(A)\n"
      "A = changed\n"
      "D ?= first\n"
      "D ?= second\n"
      "E := x\n"
      "E += y\n"
      "F = $(A)\n"
      "F += z\n"
      "export G = exported\n"
      "H ::= $$literal\n");
  EXPECT_EQ(*mk.get("B"), "one two");
  EXPECT_EQ(*mk.get("C"), "changed");  // recursive: expanded at use
  EXPECT_EQ(*mk.get("D"), "first");
  EXPECT_EQ(*mk.get("E"), "x y");
  EXPECT_EQ(*mk.get("F"), "changed z");
  EXPECT_EQ(*mk.get("G"), "exported");
  EXPECT_EQ(*mk.get("H"), "$literal");
  EXPECT_TRUE(mk.issues.empty());
}

TEST(MakeReader, AValueThatDoublesAtEveryLevelIsCutAndReported) {
  // 32 levels of A_n = $(A_n+1)$(A_n+1) would expand to 4 GiB.
  std::string text = "A32 = xxxxxxxxxxxxxxxx\n";
  for (int i = 31; i >= 0; --i) text += "A" + std::to_string(i) + " = $(A" + std::to_string(i + 1) + ")$(A" + std::to_string(i + 1) + ")\n";
  text += "ALL := $(A0)\n";
  auto mk = read_make(text);
  ASSERT_NE(mk.get("ALL"), nullptr);
  EXPECT_LE(mk.get("ALL")->size(), 64u * 1024);
  ASSERT_FALSE(mk.issues.empty());
  EXPECT_NE(mk.issues.back().message.find("expands past 64 KiB"), std::string::npos) << mk.issues.back().message;
}

TEST(MakeReader, CommentsAndContinuations) {
  auto mk = read_make(
      "# a comment\n"
      "FLAGS := -mcmse \\\n"
      "         -DONE \\\n"
      "         -DTWO   # trailing comment\n"
      "HASH = a\\#b\n");
  EXPECT_EQ(*mk.get("FLAGS"), "-mcmse -DONE -DTWO");
  EXPECT_EQ(*mk.get("HASH"), "a#b");
}

TEST(MakeReader, DecidableConditionals) {
  auto mk = read_make(
      "BL := 1\n"
      "ifeq ($(BL),1)\n"
      "  SIGN := yes\n"
      "else\n"
      "  SIGN := no\n"
      "endif\n"
      "ifneq ($(BL),1)\n"
      "  OTHER := wrong\n"
      "else ifeq ($(BL),1)\n"
      "  OTHER := right\n"
      "endif\n"
      "ifdef BL\n"
      "  DEF := set\n"
      "endif\n");
  EXPECT_EQ(*mk.get("SIGN"), "yes");
  EXPECT_EQ(*mk.get("OTHER"), "right");
  EXPECT_EQ(*mk.get("DEF"), "set");
  EXPECT_TRUE(mk.issues.empty());
}

TEST(MakeReader, UndecidableConditionalsAreReportedNotGuessed) {
  auto mk = read_make(
      "ifeq ($(DEBUG),1)\n"
      "  OPT := -Og\n"
      "else\n"
      "  OPT := -O2\n"
      "endif\n"
      "X := $(shell uname)\n");
  EXPECT_EQ(mk.get("OPT"), nullptr);
  ASSERT_GE(mk.issues.size(), 2u);
  EXPECT_EQ(mk.issues[0].line, 1);
  EXPECT_NE(mk.issues[0].message.find("cannot evaluate"), std::string::npos);
  bool shell_reported = false;
  for (const auto& i : mk.issues)
    if (i.message.find("$(shell uname)") != std::string::npos) shell_reported = true;
  EXPECT_TRUE(shell_reported);
}

TEST(MakeReader, ErrorCallMarksTheBoard) {
  auto mk = read_make(
      "MCU=STM32F407xx\n"
      "BRACKET = )\n"
      "$(error \"This camera is no longer supported :O Have fun hacking the code $(BRACKET)\")\n"
      "AFTER = never\n");
  ASSERT_TRUE(mk.error);
  EXPECT_EQ(*mk.error, "This camera is no longer supported :O Have fun hacking the code )");
  EXPECT_EQ(mk.error_line, 3);
  EXPECT_EQ(mk.get("AFTER"), nullptr);
  EXPECT_EQ(*mk.get("MCU"), "STM32F407xx");
}

TEST(MakeReader, ErrorInsideAFalseBranchIsNotReached) {
  auto mk = read_make("A := 0\nifeq ($(A),1)\n$(error nope)\nendif\n");
  EXPECT_FALSE(mk.error);
}

TEST(MakeReader, PredefinedVariables) {
  auto mk = read_make("ELF = $(TARGET)_debug\n", {{"TARGET", "OPENMV4"}});
  EXPECT_EQ(*mk.get("ELF"), "OPENMV4_debug");
}

TEST(MakeReader, HostileInputDoesNotHang) {
  auto mk = read_make("A = $(B)\nB = $(A)\nC := $(A)\nD = $(\nifeq\nelse\nendif\nendif\n");
  EXPECT_FALSE(mk.issues.empty());
}

}  // namespace omv::boards
