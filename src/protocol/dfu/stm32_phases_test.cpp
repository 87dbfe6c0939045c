#include "protocol/dfu/stm32_phases.h"

#include <gtest/gtest.h>

namespace omv::dfu::phases::stm32_phases_test {
namespace {

TEST(Stm32Phases, AltNamesGiveThePhaseBetweenTheSlashes) {
  // TF-A / OpenBL strings (a space before the slash) and U-Boot's (none, words after).
  auto fsbl = parse_alt_name("@FSBL /0x01/1*1Me");
  ASSERT_TRUE(fsbl);
  EXPECT_EQ(fsbl->name, "FSBL");
  EXPECT_EQ(fsbl->phase, 0x01);
  EXPECT_EQ(fsbl->size, 1024u * 1024);
  EXPECT_TRUE(fsbl->writable);
  auto virt = parse_alt_name("@virtual /0xF1/1*512Ba");
  ASSERT_TRUE(virt);
  EXPECT_EQ(virt->phase, 0xF1);
  EXPECT_EQ(virt->size, 512u);
  EXPECT_FALSE(virt->writable);
  auto uboot = parse_alt_name("@FlashLayout/0x00/1*256Ke ram 0xc0000000");
  ASSERT_TRUE(uboot);
  EXPECT_EQ(uboot->name, "FlashLayout");
  EXPECT_EQ(uboot->phase, 0x00);
  EXPECT_EQ(uboot->size, 256u * 1024);
  auto lower = parse_alt_name("@virtual/0xf1/1*512Be");
  ASSERT_TRUE(lower);
  EXPECT_EQ(lower->phase, 0xF1);
  EXPECT_FALSE(parse_alt_name("@Internal Flash  /0x08000000/04*016Kg"));  // DfuSe: an address, not a phase
  EXPECT_FALSE(parse_alt_name("FIRMWARE"));
  EXPECT_FALSE(parse_alt_name("@x /0xZZ/"));
  EXPECT_EQ(format_alt_name(*fsbl), "@FSBL /0x01/1*1Me");
  EXPECT_EQ(format_alt_name(*virt), "@virtual /0xF1/1*512Ba");
}

TEST(Stm32Phases, PhaseRepliesRoundTripInTheTfaForm) {
  PhaseReply detach;
  detach.phase = kFlashLayout;
  detach.detach_requested = true;
  auto bytes = encode_phase_reply(detach);
  ASSERT_EQ(bytes.size(), 10u);
  EXPECT_EQ(bytes, (std::vector<uint8_t>{0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0, 0x01}));
  auto back = parse_phase_reply(bytes);
  ASSERT_TRUE(back);
  EXPECT_TRUE(back->detach_requested);
  PhaseReply fsbl;
  fsbl.phase = kFsbl;
  fsbl.address = 0x34180000;
  bytes = encode_phase_reply(fsbl);
  EXPECT_EQ(bytes, (std::vector<uint8_t>{0x01, 0x00, 0x00, 0x18, 0x34, 0, 0, 0, 0}));
  EXPECT_FALSE(parse_phase_reply(bytes)->detach_requested);
  // The detach byte only counts for phase 0 with an undefined address.
  std::vector<uint8_t> layout_at = {0x00, 0x00, 0xFC, 0x1F, 0x34, 0, 0, 0, 0, 0x01};
  EXPECT_FALSE(parse_phase_reply(layout_at)->detach_requested);
  PhaseReply error;
  error.error_text = "bad header";
  bytes = encode_phase_reply(error);
  EXPECT_EQ(parse_phase_reply(bytes)->error_text, "bad header");
  EXPECT_FALSE(parse_phase_reply(std::vector<uint8_t>{1, 2, 3, 4}));
}

TEST(Stm32Phases, ProductStringsTellTheStagesApart) {
  auto rom = parse_stage("DFU in HS mode @Device ID /0x486, @Revision ID /0x0100");
  EXPECT_EQ(rom.stage, Stage::rom);
  EXPECT_EQ(rom.device_id, 0x486u);
  EXPECT_EQ(rom.revision_id, 0x0100u);
  auto obl = parse_stage("STM32OpenBootloader DFU@Device ID /0x486, @Revision ID /0x1000");
  EXPECT_EQ(obl.stage, Stage::openbl);
  EXPECT_EQ(obl.device_id, 0x486u);
  EXPECT_EQ(parse_stage("DFU @Device ID /0x500, @Revision ID /0x0000, @Name /STM32MP15,").stage, Stage::tfa);
  EXPECT_EQ(parse_stage("USB download gadget@Device ID /0x500, @Revision ID /0x2001").stage, Stage::uboot);
  auto h7 = parse_stage("DFU in FS Mode");
  EXPECT_EQ(h7.stage, Stage::unknown);
  EXPECT_FALSE(h7.device_id);
}

}  // namespace
}  // namespace omv::dfu::phases::stm32_phases_test
