// omv recover through the ST system bootloader (a virtual camera started with --mode rom).
#include "dfu_support.h"

namespace omv::test::dfu_recover_test {
namespace {

TEST(DfuRecover, WritesOnlyTheBootloaderRegionThroughTheRom) {
  SimBus bus;
  TempDir files;
  // First the camera's normal life: firmware and a filesystem through the OpenMV bootloader.
  bus.start("OPENMV4", "H7");
  auto fw = random_bytes(200 * 1024, 31), fs = random_bytes(4096, 32);
  write_file(files / "firmware.bin", fw);
  write_file(files / "fs.bin", fs);
  ASSERT_EQ(bus.run({"flash", "--no-reset", "OPENMV4", "--firmware", (files / "firmware.bin").string(), "--image",
                     "FILESYSTEM=" + (files / "fs.bin").string()}).exit_code, 0);
  bus.stop("H7");
  auto before = bus.memory("H7", "internal");

  // Then the jumper: the same memories behind the ST ROM.
  bus.start("OPENMV4", "H7", {"--mode", "rom"});
  auto bl = random_bytes(90 * 1024, 33);
  write_file(files / "bootloader.bin", bl);
  auto normal = bus.run({"flash", "--no-reset", "OPENMV4", "--firmware", (files / "firmware.bin").string()});
  EXPECT_EQ(normal.exit_code, 5) << normal.err;  // no OpenMV bootloader on the bus now
  auto r = bus.run({"recover", "OPENMV4", "--bootloader", (files / "bootloader.bin").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("BOOT-RST"), std::string::npos) << r.err;
  auto after = bus.memory("H7", "internal");
  EXPECT_EQ(after.substr(0, bl.size()), bl);
  EXPECT_TRUE(all_ff(after, bl.size(), 0x20000 - bl.size()));
  EXPECT_EQ(after.substr(0x20000), before.substr(0x20000));  // filesystem and firmware kept
  auto s = bus.stats("H7");
  EXPECT_EQ(s["erases"], 1);
  EXPECT_EQ(s["mode"], "rom");
}

TEST(DfuRecover, TheCombinedImageIsRefused) {
  SimBus bus;
  bus.start("OPENMV4", "H7", {"--mode", "rom"});
  TempDir files;
  write_file(files / "openmv.bin", random_bytes(600 * 1024, 34));
  auto r = bus.run({"recover", "OPENMV4", "--bootloader", (files / "openmv.bin").string()});
  EXPECT_EQ(r.exit_code, 9) << r.err;
  EXPECT_NE(r.err.find("combined"), std::string::npos) << r.err;
  EXPECT_EQ(bus.stats("H7")["erases"], 0);
}

TEST(DfuRecover, BoardsWithoutTheStRomPathSaySo) {
  EXPECT_EQ(omv({"recover", "ARDUINO_PORTENTA_H7", "--bootloader", "x.bin"}).exit_code, 15);
  EXPECT_EQ(omv({"recover", "MPS2_AN500", "--bootloader", "x.bin"}).exit_code, 15);
}

}  // namespace
}  // namespace omv::test::dfu_recover_test
