// omv recover on the virtual OpenMV Cam RT1062: the serial-download ROM (SBL jumper fitted), a RAM
// flashloader staged and started, then FCB, secure bootloader, firmware and the boot fuse.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "rt1062_support.h"

namespace omv::test::rt1062_recover_test {
namespace {

struct Files {
  std::string flashloader, sbl, firmware;
};

Files write_files(const Rt1062& cam, size_t sbl_size = 0x9000, size_t firmware_size = 0x48000) {
  write_file(cam.file("sdphost_flash_loader.bin"), rt_flashloader());
  write_file(cam.file("blhost_flash_loader.bin"), pattern_bytes(sbl_size, 21));
  write_file(cam.file("firmware.bin"), pattern_bytes(firmware_size, 22));
  return {cam.file("sdphost_flash_loader.bin").string(), cam.file("blhost_flash_loader.bin").string(),
          cam.file("firmware.bin").string()};
}

std::vector<std::string> recover_args(const Files& f, std::vector<std::string> extra = {}) {
  std::vector<std::string> a{"recover", "OPENMV_RT1060", "--flashloader", f.flashloader, "--sbl", f.sbl, "--firmware", f.firmware};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

TEST(Rt1062Recover, FromAnEmptyFlash) {
  Rt1062 cam;
  cam.start("rom");
  auto f = write_files(cam);
  auto r = cam.run(recover_args(f, {"--burn-efuse", "--json"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto flash = cam.flash();
  EXPECT_EQ(flash.substr(0, 4), "FCFB");  // the flash configuration block at 0x60000000
  EXPECT_EQ(flash.substr(0x1000, 0x9000), read_file(f.sbl));
  EXPECT_EQ(flash.substr(0x40000, 0x48000), read_file(f.firmware));
  EXPECT_TRUE(all_erased(flash.substr(0x1000 + 0x9000, 0x40000 - 0x1000 - 0x9000)));
  EXPECT_TRUE(all_erased(flash.substr(0x40000 + 0x48000)));
  EXPECT_EQ(cam.fuses()["words"]["0x06"], 0x10);
  EXPECT_EQ(cam.fuse_burns(), 1u);
  // The reset booted the new secure bootloader from the flash (omv returns right after the
  // reset, so the camera may still be re-enumerating; a busy machine may even see it leave the
  // bootloader's window for the firmware). A flash that does not boot falls back to the ROM.
  std::string mode;
  for (int i = 0; i < 500 && mode != "bootloader" && mode != "app"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    auto d = cam.device();
    mode = d.is_object() ? d.value("mode", "") : "";
    if (mode == "bootloader" && !(d.contains("hid") && d["hid"].is_object())) mode.clear();  // enumerating
    if (mode == "bootloader") {
      EXPECT_EQ(d["hid"]["id"], "15A2:0073");
    }
  }
  EXPECT_TRUE(mode == "bootloader" || mode == "app") << "after the reset the camera is in '" << mode << "'";
  EXPECT_NE(r.out.find("\"efuse\":\"burned\""), std::string::npos) << r.out;
}

TEST(Rt1062Recover, RefusesTheFuseWithoutTheFlagAndWritesNothing) {
  Rt1062 cam;
  cam.start("rom");
  auto f = write_files(cam);
  auto r = cam.run(recover_args(f));
  EXPECT_EQ(r.exit_code, 9) << r.err;
  EXPECT_NE(r.err.find("efuse-program-once 0x06 00000010"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--burn-efuse"), std::string::npos) << r.err;
  EXPECT_TRUE(all_erased(cam.flash()));
  EXPECT_EQ(cam.fuse_burns(), 0u);
}

TEST(Rt1062Recover, TheFuseIsBurnedExactlyOnce) {
  Rt1062 cam;
  cam.start("rom");
  auto f = write_files(cam);
  ASSERT_EQ(cam.run(recover_args(f, {"--burn-efuse", "--no-reset"})).exit_code, 0);
  // Again, still with the flag: the fuse is read first and left alone.
  auto r = cam.run(recover_args(f, {"--burn-efuse", "--json"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"efuse\":\"already set\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("\"bootloader\":\"unchanged\""), std::string::npos) << r.out;
  EXPECT_EQ(cam.fuse_burns(), 1u);
}

TEST(Rt1062Recover, HalfDoneRecoveryIsResumed) {
  Rt1062 cam;
  cam.start("rom");
  auto f = write_files(cam);
  // The device fails a write part-way through the firmware (after the flashloader, the SBL...).
  auto arm = omv({"sim", "fault", "--bus", cam.bus(), "--serial", kRtSerial, "err_write@160K"});
  ASSERT_EQ(arm.exit_code, 0) << arm.err;
  auto first = cam.run(recover_args(f, {"--burn-efuse"}));
  ASSERT_EQ(first.exit_code, 6) << first.err;
  EXPECT_NE(first.err.find("FlexSPINOR_ProgramFail"), std::string::npos) << first.err;
  EXPECT_EQ(cam.fuse_burns(), 0u);
  // The flashloader is still running: the second run picks up where the first stopped.
  auto second = cam.run(recover_args(f, {"--burn-efuse", "--json"}));
  ASSERT_EQ(second.exit_code, 0) << second.err;
  EXPECT_NE(second.out.find("\"flashloader\":\"already running\""), std::string::npos) << second.out;
  EXPECT_NE(second.out.find("\"fcb\":\"kept\""), std::string::npos) << second.out;
  EXPECT_NE(second.out.find("\"bootloader\":\"unchanged\""), std::string::npos) << second.out;
  EXPECT_EQ(cam.flash_at(0x60040000, 0x48000), read_file(f.firmware));
  EXPECT_EQ(cam.fuse_burns(), 1u);
}

TEST(Rt1062Recover, AFlashloaderThatNeverAnswers) {
  Rt1062 cam;
  cam.start("rom");
  auto f = write_files(cam);
  write_file(f.flashloader, rt_flashloader(0x6000, true));
  auto r = cam.run(recover_args(f, {"--burn-efuse"}));
  EXPECT_EQ(r.exit_code, 14) << r.err;
  EXPECT_NE(r.err.find("never answered"), std::string::npos) << r.err;
  EXPECT_TRUE(all_erased(cam.flash()));
}

TEST(Rt1062Recover, NotAFlashloaderIsRefusedByTheRom) {
  Rt1062 cam;
  cam.start("rom");
  auto f = write_files(cam);
  std::string bad = pattern_bytes(0x4000, 30);
  bad[0] = '\xD1', bad[1] = 0, bad[2] = 0x20, bad[3] = 0x41;  // looks like an IVT, but "self" is wrong
  write_file(f.flashloader, bad);
  auto r = cam.run(recover_args(f, {"--burn-efuse"}));
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("not an IVT"), std::string::npos) << r.err;
}

TEST(Rt1062Recover, ImageLargerThanItsRegionIsRefusedBeforeTheDeviceIsTouched) {
  Rt1062 cam;
  cam.start("rom");
  auto f = write_files(cam, 0x3F001);
  auto r = cam.run(recover_args(f, {"--burn-efuse"}));
  EXPECT_EQ(r.exit_code, 9) << r.err;
  EXPECT_NE(r.err.find("SBL"), std::string::npos) << r.err;
  EXPECT_EQ(cam.stats()["model"].value("WRITE_FILE", 0), 0);
}

TEST(Rt1062Recover, MissingImagesSayWhereToFindThem) {
  Rt1062 cam;
  auto r = cam.run({"recover", "OPENMV_RT1060", "--burn-efuse"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("sdphost_flash_loader.bin"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("OpenMV IDE"), std::string::npos) << r.err;
}

TEST(Rt1062Recover, NoCameraInTheRomSaysWhichJumper) {
  Rt1062 cam;
  auto f = write_files(cam);
  auto r = cam.run(recover_args(f, {"--burn-efuse"}));
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("jumper"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace omv::test::rt1062_recover_test
