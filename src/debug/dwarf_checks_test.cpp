#include "debug/dwarf_checks.h"

#include <gtest/gtest.h>

#include <set>

namespace omv::debug {
namespace fs = std::filesystem;

TEST(DwarfChecks, OptimisationFlagFromProducer) {
  EXPECT_EQ(optimisation_flag("GNU C11 12.2.1 20221205 -mcpu=cortex-m7 -mthumb -ggdb3 -Og -std=gnu11"), "-Og");
  EXPECT_EQ(optimisation_flag("GNU C11 12.2.1 -mthumb -g -O2 -ffunction-sections"), "-O2");
  EXPECT_EQ(optimisation_flag("GNU C17 14.3.1 -O2 -Og"), "-Og");  // the last one wins, as in gcc
  EXPECT_EQ(optimisation_flag("GNU C11 12.2.1 -mthumb -g"), "-O0");
  EXPECT_EQ(optimisation_flag("GNU C11 12.2.1 -g -O"), "-O1");
  EXPECT_EQ(optimisation_flag("GNU C11 12.2.1 -Os"), "-Os");
  EXPECT_EQ(optimisation_flag("GNU AS 2.40"), std::nullopt);
  EXPECT_EQ(optimisation_flag("clang version 14.0.6"), std::nullopt);
  EXPECT_TRUE(debuggable_level("-Og"));
  EXPECT_TRUE(debuggable_level("-O0"));
  EXPECT_FALSE(debuggable_level("-O1"));
  EXPECT_EQ(debug_info_flag("GNU C11 12.2.1 -g1 -O2"), "-g1");
  EXPECT_EQ(debug_info_flag("GNU C11 12.2.1 -O2"), std::nullopt);
}

TEST(DwarfChecks, AssessUsesMainsUnitThenTheMajority) {
  ElfInfo elf;
  EXPECT_EQ(assess_build(elf).verdict, BuildAssessment::Verdict::no_dwarf);
  elf.has_dwarf = true;
  elf.units = {{"lib.c", "/b", "GNU C11 12 -O2"}, {"main.c", "/b", "GNU C11 12 -Og -ggdb3"}, {"x.c", "/b", "GNU C11 12 -O2"},
               {"start.s", "/b", "GNU AS 2.40"}};
  elf.main_unit = 1;
  auto a = assess_build(elf);
  EXPECT_EQ(a.verdict, BuildAssessment::Verdict::debug_build);
  EXPECT_EQ(a.level, "-Og");
  EXPECT_EQ(a.optimised_units, 2u);
  EXPECT_EQ(a.total_units, 3u);
  elf.main_unit.reset();
  a = assess_build(elf);
  EXPECT_EQ(a.verdict, BuildAssessment::Verdict::optimised);
  EXPECT_EQ(a.level, "-O2");
  elf.units = {{"a.s", "/b", "GNU AS 2.40"}};
  EXPECT_EQ(assess_build(elf).verdict, BuildAssessment::Verdict::unknown);
  elf.units = {{"m.c", "/b", "GNU C11 12 -g1 -Og"}};
  EXPECT_TRUE(assess_build(elf).minimal_debug_info);
}

TEST(DwarfChecks, SubstitutePathForAnElfBuiltElsewhere) {
  std::set<std::string> files = {"/home/me/fw/src/main.c", "/home/me/fw/lib/micropython/ports/stm32/main.c",
                                 "/home/me/fw/main.c"};
  auto exists = [&](const fs::path& p) { return files.count(p.lexically_normal().string()) != 0; };
  ElfInfo elf;
  elf.units = {{"src/main.c", "/workspace/openmv", ""},
               {"main.c", "/workspace/openmv/lib/micropython/ports/stm32", ""},
               {"/build/newlib/libc/printf.c", "/build/newlib", ""},  // not here at all: nothing to map
               {"<artificial>", "/workspace/openmv", ""}};
  auto subs = substitute_paths(elf, "/home/me/fw", exists);
  ASSERT_EQ(subs.size(), 1u);
  EXPECT_EQ(subs[0].first, "/workspace/openmv");
  EXPECT_EQ(subs[0].second, "/home/me/fw");
  // Built in the checkout itself: nothing to do.
  elf.units = {{"src/main.c", "/home/me/fw", ""}};
  EXPECT_TRUE(substitute_paths(elf, "/home/me/fw", exists).empty());
}

}  // namespace omv::debug
