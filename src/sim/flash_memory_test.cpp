#include "sim/flash_memory.h"

#include "core/error.h"

#include <gtest/gtest.h>

#include <fstream>

#include "boards/board_db.h"

namespace omv::sim {
namespace {

struct TempFolder {
  std::filesystem::path path;
  TempFolder() {
    std::string p = (std::filesystem::temp_directory_path() / "omv-flash-XXXXXX").string();
    path = mkdtemp(p.data());
  }
  ~TempFolder() { std::filesystem::remove_all(path); }
};

boards::Memory small_flash() {
  boards::Memory m;
  m.name = "internal";
  m.kind = "flash";
  m.base = 0x08000000;
  m.size = 64 * 1024;
  m.erase_layout = {{2, 16 * 1024}, {1, 32 * 1024}};
  m.program_unit = 32;
  m.timing.erase_typ_ms = 100;
  m.timing.program_us_per_unit = 10;
  return m;
}

TEST(FlashMemory, StartsErasedInAPlainFile) {
  TempFolder dir;
  FlashMemory f(small_flash(), dir.path / "internal.bin");
  EXPECT_EQ(std::filesystem::file_size(dir.path / "internal.bin"), 64u * 1024);
  auto bytes = f.read(0x08000000, 16);
  for (auto b : bytes) EXPECT_EQ(b, 0xFF);
}

TEST(FlashMemory, ProgramWithoutEraseGivesAndOfOldAndNew) {
  TempFolder dir;
  FlashMemory f(small_flash(), dir.path / "internal.bin");
  std::vector<uint8_t> a{0xF0, 0x0F, 0xAA};
  std::vector<uint8_t> b{0x3C, 0xFF, 0x55};
  f.program(0x08000100, a);
  f.program(0x08000100, b);  // no erase in between: corrupt on purpose
  auto got = f.read(0x08000100, 3);
  EXPECT_EQ(got, (std::vector<uint8_t>{0x30, 0x0F, 0x00}));
  EXPECT_GT(f.counters().bits_not_erased, 0u);
  f.erase_unit(0x08000100);
  f.program(0x08000100, b);
  EXPECT_EQ(f.read(0x08000100, 3), b);
}

TEST(FlashMemory, EraseUnitsFollowTheLayoutAndCostTime) {
  TempFolder dir;
  FlashMemory f(small_flash(), dir.path / "internal.bin");
  std::vector<uint8_t> zeros(64 * 1024, 0);
  f.program(0x08000000, zeros);
  auto unit = f.erase_unit(0x08008004);  // inside the third unit (32 KiB at 0x08008000)
  EXPECT_EQ(unit.start, 0x08008000u);
  EXPECT_EQ(unit.size, 32u * 1024);
  EXPECT_EQ(f.read(0x08007FFF, 1)[0], 0x00);
  EXPECT_EQ(f.read(0x08008000, 1)[0], 0xFF);
  EXPECT_TRUE(f.is_unit_start(0x08004000));
  EXPECT_FALSE(f.is_unit_start(0x08004004));
  EXPECT_EQ(f.counters().erases, 1u);
  // 64 KiB / 32 B x 10 us = 20.48 ms of programming, plus one 100 ms erase.
  EXPECT_EQ(f.take_busy_time(), std::chrono::microseconds(20480 + 100000));
  EXPECT_EQ(f.take_busy_time(), std::chrono::nanoseconds(0));
}

TEST(FlashMemory, MramOverwritesWithoutErase) {
  TempFolder dir;
  boards::Memory m = small_flash();
  m.kind = "mram";
  m.erase_layout.clear();
  FlashMemory f(m, dir.path / "mram.bin");
  std::vector<uint8_t> a{0x00, 0x00};
  std::vector<uint8_t> b{0x12, 0xFF};
  f.program(0x08000000, a);
  f.program(0x08000000, b);
  EXPECT_EQ(f.read(0x08000000, 2), b);
  EXPECT_EQ(f.counters().bits_not_erased, 0u);
}

TEST(FlashMemory, ContentsPersistAcrossReopen) {
  TempFolder dir;
  std::vector<uint8_t> data{1, 2, 3, 4};
  {
    FlashMemory f(small_flash(), dir.path / "internal.bin");
    f.program(0x08000010, data);
  }
  FlashMemory again(small_flash(), dir.path / "internal.bin");
  EXPECT_EQ(again.read(0x08000010, 4), data);
}

TEST(FlashMemory, RefusesAccessOutsideTheMemory) {
  TempFolder dir;
  FlashMemory f(small_flash(), dir.path / "internal.bin");
  std::vector<uint8_t> data(8, 0);
  EXPECT_THROW(f.program(0x08000000 + 64 * 1024 - 4, data), omv::Error);
  EXPECT_THROW(f.read(0x07FFFFFF, 2), omv::Error);
}

TEST(MemoryBank, OneFilePerBoardMemory) {
  TempFolder dir;
  auto db = boards::BoardDb::built_in();
  MemoryBank bank(db.get("OPENMV4P"), dir.path);
  EXPECT_TRUE(std::filesystem::exists(dir.path / "internal.bin"));
  EXPECT_TRUE(std::filesystem::exists(dir.path / "qspi.bin"));
  EXPECT_NE(bank.find("qspi"), nullptr);
}

}  // namespace
}  // namespace omv::sim
