#include "build/size_report.h"

#include <gtest/gtest.h>

#include "boards/board_db.h"

namespace omv::build {
namespace {

ElfSection section(const char* name, uint64_t vma, uint64_t lma, uint64_t size, bool bytes, bool writable) {
  return {name, vma, lma, size, bytes, writable, !writable && bytes};
}

const Region* find(const SizeReport& r, const std::string& name) {
  for (const auto& g : r.regions)
    if (g.name == name) return &g;
  return nullptr;
}

TEST(SizeReport, FlashPerPartitionRamPerMapRegion) {
  auto db = boards::BoardDb::built_in();
  ElfImage elf;
  elf.sections = {section(".isr_vector", 0x08040000, 0x08040000, 0x298, true, false),
                  section(".text", 0x08040298, 0x08040298, 100000, true, false),
                  section(".data", 0x24000000, 0x0805A938, 3000, true, true),
                  section(".bss", 0x24000BB8, 0x24000BB8, 20000, false, true),
                  section(".dma_buffers", 0x30000000, 0x30000000, 4096, false, true)};
  std::vector<MapRegion> map{{"FLASH_TEXT", 0x08040000, 0x1A0000, "xr"},
                             {"AXI_SRAM", 0x24000000, 0x80000, "xrw"},
                             {"SRAM1", 0x30000000, 0x48000, "rw"}};
  auto r = size_report(elf, "firmware.elf", db.find("OPENMV4"), map);
  const auto* fw = find(r, "FIRMWARE");
  ASSERT_TRUE(fw);
  EXPECT_EQ(fw->kind, "flash");
  EXPECT_EQ(fw->source, "board");
  EXPECT_EQ(fw->used, 0x298u + 100000u + 3000u);  // .data's bytes are stored in flash too
  EXPECT_EQ(*fw->size, 0x1A0000u);
  const auto* axi = find(r, "AXI_SRAM");
  ASSERT_TRUE(axi);
  EXPECT_EQ(axi->kind, "ram");
  EXPECT_EQ(axi->used, 23000u);
  EXPECT_NEAR(*axi->percent(), 100.0 * 23000 / 0x80000, 1e-9);
  EXPECT_EQ(find(r, "SRAM1")->used, 4096u);
  EXPECT_FALSE(find(r, "FLASH_TEXT"));  // the board data describes that flash
  EXPECT_EQ(r.flash_used, 0x298u + 100000u + 3000u);
  EXPECT_EQ(r.ram_used, 23000u + 4096u);
  EXPECT_EQ(r.regions.front().name, "FIRMWARE");
}

TEST(SizeReport, WithoutAMapRamHasNoSize) {
  auto db = boards::BoardDb::built_in();
  ElfImage elf;
  elf.sections = {section(".text", 0x70080000, 0x70080000, 5000, true, false),
                  section(".bss", 0x34000000, 0x34000000, 800, false, true)};
  auto r = size_report(elf, "firmware.elf", db.find("OPENMV_N6"), {});
  const auto* fw = find(r, "FIRMWARE");  // N6 flash is memory-mapped at 0x70000000
  ASSERT_TRUE(fw);
  EXPECT_EQ(fw->start, 0x70080000u);
  EXPECT_EQ(fw->used, 5000u);
  ASSERT_EQ(r.regions.size(), 2u);
  EXPECT_EQ(r.regions[1].kind, "ram");
  EXPECT_EQ(r.regions[1].source, "elf");
  EXPECT_FALSE(r.regions[1].size);
  EXPECT_EQ(r.regions[1].used, 800u);
}

TEST(SizeReport, Ae3CoresLandInTheirPartitions) {
  auto db = boards::BoardDb::built_in();
  const auto* ae3 = db.find("OPENMV_AE3");
  ElfImage hp, he;
  hp.sections = {section(".text", 0x80020000, 0x80020000, 70000, true, false)};
  he.sections = {section(".text", 0x80320000, 0x80320000, 30000, true, false)};
  EXPECT_EQ(size_report(hp, "firmware_M55_HP.elf", ae3, {}).regions.at(0).name, "HP");
  EXPECT_EQ(size_report(he, "firmware_M55_HE.elf", ae3, {}).regions.at(0).name, "HE");
}

TEST(SizeReport, UnknownBoardUsesTheMapAlone) {
  ElfImage elf;
  elf.sections = {section(".text", 0x0, 0x0, 1000, true, false), section(".bss", 0x20000000, 0x20000000, 64, false, true)};
  std::vector<MapRegion> map{{"FLASH", 0, 0x400000, "rx"}, {"RAM", 0x20000000, 0x400000, "rwx"}};
  auto r = size_report(elf, "firmware.elf", nullptr, map);
  ASSERT_EQ(r.regions.size(), 2u);
  EXPECT_EQ(r.regions[0].name, "FLASH");
  EXPECT_EQ(r.regions[0].kind, "flash");
  EXPECT_EQ(r.regions[1].name, "RAM");
  EXPECT_EQ(r.regions[1].used, 64u);
}

}  // namespace
}  // namespace omv::build
