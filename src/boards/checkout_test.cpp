#include "boards/checkout.h"

#include <gtest/gtest.h>

namespace omv::boards {

const std::filesystem::path kFixture = std::filesystem::path(OMV_SOURCE_DIR) / "tests/fixtures/checkout";

TEST(Checkout, FoundUpwardFromASubdirectory) {
  auto root = find_checkout_root(kFixture / "boards" / "OPENMV4");
  ASSERT_TRUE(root);
  EXPECT_EQ(std::filesystem::canonical(*root), std::filesystem::canonical(kFixture));
}

TEST(Checkout, ReadsEveryBoardConfig) {
  auto co = read_checkout(kFixture);
  EXPECT_EQ(co.sdk_version, "1.6.0");
  const auto* n6 = co.board("openmv_n6");
  ASSERT_NE(n6, nullptr);
  EXPECT_EQ(*n6->var("OMV_BOOT_CFLAGS"), "-mcmse -DOMV_BOOTLOADER -DUSER_TZ_SAU_SETUP -DCFG_TUD_MAX_SPEED=OPT_MODE_HIGH_SPEED");
  EXPECT_EQ(*n6->var("OMV_STLINK_ARGS"), "--extload MX25UM51245G_STM32N6570-NUCLEO.stldr");
  EXPECT_EQ(*n6->var("OMV_SIGN_BOOT"), "1");
  EXPECT_EQ(*n6->var("DEBUGGER"), "STLINK");
  const auto* v1 = co.board("OPENMV1");
  ASSERT_NE(v1, nullptr);
  EXPECT_FALSE(v1->supported);
  EXPECT_NE(v1->unsupported_reason.find("no longer supported"), std::string::npos);
  const auto* weird = co.board("WEIRD");
  ASSERT_NE(weird, nullptr);
  EXPECT_GE(weird->make.issues.size(), 3u);  // include, ifeq on DEBUG, $(shell)
  EXPECT_EQ(*weird->var("MCU"), "STM32H743xx");
}

TEST(Checkout, AgreesWithBuiltInDataWhereItShould) {
  auto co = read_checkout(kFixture);
  auto db = BoardDb::built_in();
  auto diffs = compare_with(co, db);
  for (const auto& d : diffs) ADD_FAILURE() << d.target << " " << d.variable << ": " << d.checkout << " vs " << d.built_in;
}

TEST(Checkout, ReportsDisagreements) {
  auto co = read_checkout(kFixture);
  // Pretend the checkout moved the H7 firmware.
  for (auto& b : co.boards)
    if (b.target == "OPENMV4") b.make.variables["OMV_FIRM_ADDR"] = "0x08060000";
  auto diffs = compare_with(co, BoardDb::built_in());
  ASSERT_EQ(diffs.size(), 1u);
  EXPECT_EQ(diffs[0].variable, "OMV_FIRM_ADDR");
  EXPECT_EQ(diffs[0].built_in, "0x08040000");
}

}  // namespace omv::boards
