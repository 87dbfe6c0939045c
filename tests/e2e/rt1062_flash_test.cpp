// omv flash / erase-fs / read / verify on the virtual OpenMV Cam RT1062 (NXP MCU bootloader
// over HID), checked on the camera's flash file byte for byte.
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <thread>

#include "rt1062_support.h"

namespace omv::test::rt1062_flash_test {
namespace {

TEST(Rt1062Flash, FirmwareAndRomfsLandAtTheirAddressesAndReadBack) {
  Rt1062 cam;
  cam.start("sbl");
  const auto firmware = pattern_bytes(300 * 1024 + 17, 1), romfs = pattern_bytes(100 * 1024, 2);
  write_file(cam.file("firmware.bin"), firmware);
  write_file(cam.file("romfs0.img"), romfs);
  auto r = cam.run({"flash", "OPENMV_RT1060", "--firmware", cam.file("firmware.bin").string(), "--romfs",
                    cam.file("romfs0.img").string(), "--verify", "--no-reset"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  const auto flash = cam.flash();
  ASSERT_EQ(flash.size(), kRtFlashSize);
  EXPECT_EQ(flash.substr(0x40000, firmware.size()), firmware);
  EXPECT_EQ(flash.substr(0x800000, romfs.size()), romfs);
  // Nothing else was touched.
  EXPECT_TRUE(all_erased(flash.substr(0, 0x40000)));
  EXPECT_TRUE(all_erased(flash.substr(0x40000 + firmware.size(), 0x800000 - 0x40000 - firmware.size())));
  EXPECT_TRUE(all_erased(flash.substr(0x800000 + romfs.size())));

  auto read = cam.run({"read", "OPENMV_RT1060", "--partition", "FIRMWARE", "-o", cam.file("back.bin").string(), "--length",
                       std::to_string(firmware.size())});
  ASSERT_EQ(read.exit_code, 0) << read.err;
  EXPECT_EQ(read_file(cam.file("back.bin")), firmware);
  auto verify = cam.run({"verify", "OPENMV_RT1060", "--firmware", cam.file("firmware.bin").string()});
  EXPECT_EQ(verify.exit_code, 0) << verify.err;
}

TEST(Rt1062Flash, SecondFlashSkipsWhatIsUnchanged) {
  Rt1062 cam;
  cam.start("sbl");
  auto firmware = pattern_bytes(512 * 1024, 3);
  write_file(cam.file("firmware.bin"), firmware);
  ASSERT_EQ(cam.run({"flash", "OPENMV_RT1060", "--firmware", cam.file("firmware.bin").string(), "--no-reset"}).exit_code, 0);
  const auto erases_before = cam.stats()["erases"].get<uint64_t>();
  // Change 100 bytes inside one 4 KiB sector.
  for (size_t i = 0; i < 100; ++i) firmware[200000 + i] = static_cast<char>(~firmware[200000 + i]);
  write_file(cam.file("firmware.bin"), firmware);
  auto r = cam.run({"flash", "OPENMV_RT1060", "--firmware", cam.file("firmware.bin").string(), "--no-reset", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(cam.stats()["erases"].get<uint64_t>() - erases_before, 1u);
  EXPECT_EQ(cam.flash_at(0x60040000, firmware.size()), firmware);
}

TEST(Rt1062Flash, EraseFsTouchesOnlyItsFourKiB) {
  Rt1062 cam;
  const auto before = pattern_bytes(kRtFlashSize, 4);
  cam.seed_flash(before);
  cam.start("sbl");
  auto r = cam.run({"erase-fs", "OPENMV_RT1060", "--no-reset"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto after = cam.flash();
  ASSERT_EQ(after.size(), before.size());
  EXPECT_TRUE(all_erased(after.substr(0x400000, 4096)));
  EXPECT_EQ(after.substr(0, 0x400000), before.substr(0, 0x400000));
  EXPECT_EQ(after.substr(0x401000), before.substr(0x401000));
  EXPECT_EQ(cam.stats()["erases"], 1);
}

TEST(Rt1062Flash, ImageLargerThanItsRegionIsRefused) {
  Rt1062 cam;
  cam.start("sbl");
  write_file(cam.file("firmware.bin"), pattern_bytes(0x3C0000 + 1, 5));
  auto r = cam.run({"flash", "OPENMV_RT1060", "--firmware", cam.file("firmware.bin").string()});
  EXPECT_EQ(r.exit_code, 9) << r.err;
  EXPECT_NE(r.err.find("FIRMWARE"), std::string::npos) << r.err;
  EXPECT_EQ(cam.stats()["erases"], 0);
  EXPECT_EQ(cam.stats()["bytes_programmed"], 0);
}

TEST(Rt1062Flash, DeviceErrorIsReportedByName) {
  Rt1062 cam;
  cam.start("sbl", {"--fault", "err_write@20K"});
  write_file(cam.file("firmware.bin"), pattern_bytes(200 * 1024, 6));
  auto r = cam.run({"flash", "OPENMV_RT1060", "--firmware", cam.file("firmware.bin").string(), "--no-reset"});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("FlexSPINOR_ProgramFail (20100)"), std::string::npos) << r.err;
}

TEST(Rt1062Flash, RamFlashloaderIsConfiguredBeforeWriting) {
  Rt1062 cam;
  cam.start("flashloader");
  write_file(cam.file("firmware.bin"), pattern_bytes(64 * 1024, 7));
  auto r = cam.run({"flash", "OPENMV_RT1060", "--firmware", cam.file("firmware.bin").string(), "--no-reset"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(cam.flash_at(0x60040000, 64 * 1024), read_file(cam.file("firmware.bin")));
}

TEST(Rt1062Flash, CatchesTheSecureBootloaderInItsWindow) {
  Rt1062 cam;
  // A flashed camera: its secure bootloader leaves for the firmware unless a host speaks first.
  std::string flash(kRtFlashSize, '\xFF');
  flash.replace(0x40000, 4096, pattern_bytes(4096, 8));
  cam.seed_flash(flash);
  write_file(cam.file("firmware.bin"), pattern_bytes(8192, 9));
  // omv is already waiting when the camera comes up.
  auto waiting = std::async(std::launch::async, [&] {
    return cam.run({"flash", "OPENMV_RT1060", "--firmware", cam.file("firmware.bin").string(), "--wait", "30", "--no-reset"});
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  cam.start("sbl");
  auto r = waiting.get();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(cam.stats()["model"]["claimed"], true);
  EXPECT_EQ(cam.flash_at(0x60040000, 8192), read_file(cam.file("firmware.bin")));
}

TEST(Rt1062Flash, ResetsTheRunningCameraAndClaimsItsSecureBootloader) {
  Rt1062 cam;
  std::string flash(kRtFlashSize, '\xFF');
  flash.replace(0x40000, 4096, pattern_bytes(4096, 12));
  cam.seed_flash(flash);
  cam.start("sbl");
  ASSERT_TRUE(cam.wait_mode("app", std::chrono::seconds(10)));  // nobody spoke: it runs its firmware
  write_file(cam.file("firmware.bin"), pattern_bytes(8192, 13));
  auto r = cam.run({"flash", "OPENMV_RT1060", "--firmware", cam.file("firmware.bin").string(), "--no-reset"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(cam.stats()["model"]["claimed"], true);
  EXPECT_EQ(cam.flash_at(0x60040000, 8192), read_file(cam.file("firmware.bin")));
  // Its bootloader runs after every reset: the plain reset is no sign of an old bootloader.
  EXPECT_EQ(r.err.find("older than"), std::string::npos) << r.err;
}

TEST(Rt1062Flash, MissedWindowSaysSoAndOffersTheJumper) {
  Rt1062 cam("1");
  std::string flash(kRtFlashSize, '\xFF');
  flash.replace(0x40000, 4096, pattern_bytes(4096, 10));
  cam.seed_flash(flash);
  cam.set_window_ms(0);  // it starts the firmware before it shows up on the bus
  cam.start("sbl");
  // The camera re-enumerates as its running firmware; omv finds it there and resets it.
  ASSERT_TRUE(cam.wait_mode("app", std::chrono::seconds(10)));
  write_file(cam.file("firmware.bin"), pattern_bytes(8192, 11));
  auto r = cam.run({"flash", "OPENMV_RT1060", "--firmware", cam.file("firmware.bin").string(), "--no-reset"});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("window"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("SBL jumper"), std::string::npos) << r.err;
  // omv saw it leave and come back running, and said so then instead of waiting out its budget.
  EXPECT_NE(r.err.find("wait done: came back running its firmware"), std::string::npos) << r.err;
  EXPECT_EQ(cam.flash_at(0x60040000, 4096), flash.substr(0x40000, 4096));
}

}  // namespace
}  // namespace omv::test::rt1062_flash_test
