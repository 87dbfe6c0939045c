#include "boards/board_db.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace omv::boards {

TEST(BuiltInBoards, HasEverySeedBoardAndTheEmulatedOnes) {
  auto db = BoardDb::built_in();
  for (const char* t : {"OPENMV1", "OPENMV2", "OPENMV3", "OPENMV4", "OPENMV4P", "OPENMVPT", "OPENMV_N6", "OPENMV_RT1060",
                        "OPENMV_AE3", "ARDUINO_PORTENTA_H7", "ARDUINO_GIGA", "ARDUINO_NICLA_VISION",
                        "ARDUINO_NANO_33_BLE_SENSE", "ARDUINO_NANO_RP2040_CONNECT", "MPS2_AN500", "MPS3_AN547", "RPI_PICO"})
    EXPECT_NE(db.find(t), nullptr) << t;
  EXPECT_EQ(db.all().size(), 17u);
  EXPECT_FALSE(db.get("OPENMV1").supported);
}

TEST(BuiltInBoards, OpenMv4PartitionsMatchTheBootloader) {
  auto db = BoardDb::built_in();
  const Board& b = db.get("openmv4");
  EXPECT_EQ(b.bootloader_type, BootloaderType::openmv_dfu);
  struct Want { int alt; const char* name; uint64_t start, end; bool ro; };
  for (const Want& w : {Want{0, "BOOTLOADER", 0x08000000, 0x08020000, true}, Want{1, "FILESYSTEM", 0x08020000, 0x08040000, false},
                        Want{2, "FIRMWARE", 0x08040000, 0x081E0000, false}, Want{3, "ROMFS0", 0x081E0000, 0x08200000, false}}) {
    const Partition* p = b.partition_by_alt(w.alt);
    ASSERT_NE(p, nullptr) << w.alt;
    EXPECT_EQ(p->name, w.name);
    EXPECT_EQ(p->start, w.start);
    EXPECT_EQ(p->end, w.end);
    EXPECT_EQ(p->read_only, w.ro);
  }
  EXPECT_EQ(format_usb_id(*b.usb_id("bootloader")), "37C5:9204");
  EXPECT_EQ(b.debug.jlink_device, "STM32H743VI");
  // Every H7 sector is 128 KiB.
  auto unit = b.memory("internal")->erase_unit_at(0x08040000);
  ASSERT_TRUE(unit);
  EXPECT_EQ(unit->start, 0x08040000u);
  EXPECT_EQ(unit->size, 128u * 1024);
}

TEST(BuiltInBoards, Ae3HasEightAlts) {
  auto db = BoardDb::built_in();
  const Board& b = db.get("OPENMV_AE3");
  const char* names[] = {"BOOT", "HP", "HE", "ROMFS1", "TOC", "RWFS", "ROMFS0", "RECOVERY"};
  for (int alt = 0; alt < 8; ++alt) {
    const Partition* p = b.partition_by_alt(alt);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(p->name, names[alt]);
  }
  EXPECT_EQ(b.debug.elf, "firmware_M55_HP.elf");
}

TEST(BuiltInBoards, EraseUnitsFollowMixedLayouts) {
  auto db = BoardDb::built_in();
  const Memory* f4 = db.get("OPENMV2").memory("internal");
  EXPECT_EQ(f4->erase_unit_at(0x08004000)->size, 16u * 1024);
  EXPECT_EQ(f4->erase_unit_at(0x08010000)->size, 64u * 1024);
  auto u = f4->erase_unit_at(0x08030000);
  EXPECT_EQ(u->start, 0x08020000u);
  EXPECT_EQ(u->size, 128u * 1024);
  EXPECT_FALSE(f4->erase_unit_at(0x08200000));
}

TEST(BuiltInBoards, DeployProbesComeFromTheBoardData) {
  auto db = BoardDb::built_in();
  // upstream's make deploy: STM32_Programmer_CLI on the N6, app-write-mram.py on the AE3.
  EXPECT_EQ(db.get("OPENMV_N6").default_deploy_probe(), "stlink");
  EXPECT_EQ(db.get("OPENMV_AE3").default_deploy_probe(), "isp");
  EXPECT_EQ(db.get("MPS2_AN500").default_deploy_probe(), "gdb");
  EXPECT_EQ(db.get("OPENMV4").default_deploy_probe(), "jlink");
  EXPECT_NE(db.get("OPENMV4").deploy.note.find("bare ExternalLoader folder"), std::string::npos);
  // No deploy block: the debug server decides.
  EXPECT_TRUE(db.get("OPENMV_RT1060").deploy.probe.empty());
  EXPECT_EQ(db.get("OPENMV_RT1060").default_deploy_probe(), "jlink");
  for (const auto& b : db.all()) {
    if (b.default_deploy_probe() == "jlink") {
      EXPECT_FALSE(b.debug.jlink_device.empty()) << b.target;
    }
  }
}

TEST(BoardDb, UnknownTargetSuggestsNearest) {
  auto db = BoardDb::built_in();
  try {
    db.get("OPENMV5");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    EXPECT_NE(e.hint().find("OPENMV4"), std::string::npos) << e.hint();
  }
}

}  // namespace omv::boards
