// omv recover OPENMV_AE3 through a virtual Secure Enclave on a pseudo-terminal (omv sim start
// OPENMV_AE3 --mode isp): the burns byte for byte in the camera's MRAM file, the camera coming
// back as its OpenMV bootloader, hard maintenance, and the refusals before anything is sent.
#include "dfu_support.h"
#include "platform/custom_baud.h"

namespace omv::test::ae3_recover_test {
namespace {

constexpr size_t kBoot = 0;             // BOOT at 0x80000000
constexpr size_t kToc = 0x57E000;       // TOC at 0x8057E000
constexpr size_t kTocPad = 8192;

struct Ae3Files {
  TempDir dir;
  std::string bootloader = random_bytes(70000, 81);
  std::string toc = random_bytes(3000, 82);
  Ae3Files() {
    write_file(dir / "bootloader.bin", bootloader);
    write_file(dir / "firmware.toc", toc);
  }
  std::vector<std::string> args(std::vector<std::string> extra = {}) const {
    std::vector<std::string> a{"recover", "OPENMV_AE3", "--bootloader", (dir / "bootloader.bin").string(), "--toc",
                               (dir / "firmware.toc").string()};
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  }
};

TEST(Ae3Recover, BurnsBootloaderAndTocPadAndTheCameraComesBackInItsBootloader) {
  if (!platform::os::kAnyBaudRate) GTEST_SKIP() << "the Secure Enclave's 55000 baud needs the Linux layer (termios2)";
  SimBus bus;
  Ae3Files f;
  bus.start_mode("OPENMV_AE3", "AE3SE", "isp");
  auto listed = bus.list();
  ASSERT_EQ(listed.size(), 1u) << listed.dump();
  EXPECT_EQ(listed[0]["mode"], "isp");
  auto r = bus.run(f.args({"--json"}));
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const auto mram = bus.memory("AE3SE", "mram");
  EXPECT_TRUE(mram.substr(kBoot, f.bootloader.size()) == f.bootloader);
  EXPECT_TRUE(all_ff(mram, f.bootloader.size(), kToc - f.bootloader.size())) << "MRAM between the two burns changed";
  EXPECT_EQ(mram.substr(kToc, kTocPad - f.toc.size()), std::string(kTocPad - f.toc.size(), '\0'));
  EXPECT_TRUE(mram.substr(kToc + kTocPad - f.toc.size(), f.toc.size()) == f.toc);
  EXPECT_NE(r.out.find("no HP_BOOT"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("next: put the firmware on it: omv flash OPENMV_AE3"), std::string::npos) << r.out;
  // The same camera, now its OpenMV bootloader over the same MRAM file.
  ASSERT_TRUE(bus.wait_mode("AE3SE", "bootloader", std::chrono::seconds(10)));
  // The burns went at 921600 baud after the switch, and the input file was not padded on disk.
  EXPECT_EQ(read_file(f.dir / "firmware.toc").size(), 3000u);
}

TEST(Ae3Recover, AnEnclaveThatIgnoresIspIsWalkedThroughHardMaintenance) {
  if (!platform::os::kAnyBaudRate) GTEST_SKIP() << "the Secure Enclave's 55000 baud needs the Linux layer (termios2)";
  SimBus bus;
  Ae3Files f;
  std::filesystem::create_directories(bus.camera("AE3HM"));
  write_file(bus.camera("AE3HM") / "secure_enclave.json", R"({"unresponsive": true})");
  bus.start_mode("OPENMV_AE3", "AE3HM", "isp");
  auto r = bus.run(f.args());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("entering hard maintenance"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("press and release the camera's RESET button"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("stage SERAM (maintenance)"), std::string::npos) << r.err;
  EXPECT_TRUE(bus.memory("AE3HM", "mram").substr(kBoot, f.bootloader.size()) == f.bootloader);
}

TEST(Ae3Recover, DryRunAndBadInputSendNothing) {
  SimBus bus;
  Ae3Files f;
  bus.start_mode("OPENMV_AE3", "AE3NO", "isp");
  auto dry = bus.run(f.args({"--dry-run", "--json"}));
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("\"address\":\"0x8057E000\""), std::string::npos) << dry.out;
  write_file(f.dir / "bootloader.bin", random_bytes(0x20000 + 16, 3));  // over BOOT (128 KiB)
  auto big = bus.run(f.args());
  EXPECT_EQ(big.exit_code, 9) << big.err;
  EXPECT_NE(big.err.find("larger than the BOOT partition"), std::string::npos) << big.err;
  auto none = bus.run({"recover", "OPENMV_AE3", "--toc", (f.dir / "firmware.toc").string()});
  EXPECT_EQ(none.exit_code, 2) << none.err;
  EXPECT_NE(none.err.find("--bootloader"), std::string::npos) << none.err;
  auto s = bus.stats("AE3NO");
  EXPECT_EQ(s["model"].value("START_ISP", 0), 0) << s.dump();
  EXPECT_EQ(s["bytes_programmed"], 0) << s.dump();
  EXPECT_TRUE(all_ff(bus.memory("AE3NO", "mram"), 0, 0x20000));

  write_file(f.dir / "bootloader.bin", f.bootloader);
  auto no_port = omv({"--sim", TempDir().path().string(), "recover", "OPENMV_AE3", "--bootloader",
                      (f.dir / "bootloader.bin").string(), "--toc", (f.dir / "firmware.toc").string()});
  EXPECT_EQ(no_port.exit_code, 5) << no_port.err;
  EXPECT_NE(no_port.err.find("no Secure Enclave ISP port (0403:6015 or 1A86:55D3)"), std::string::npos) << no_port.err;
}

}  // namespace
}  // namespace omv::test::ae3_recover_test

namespace omv::test::ae3_recover_test {
namespace {

TEST(Ae3Recover, OctalFlashRecoveryNeedsTheKeyAndYesAndErasesTheOctalFlash) {
  SimBus bus;
  TempDir files;
  bus.start("OPENMV_AE3", "AE3OS");
  auto romfs = random_bytes(64 * 1024, 90);
  write_file(files / "romfs0.img", romfs);
  auto f = bus.run({"flash", "--no-reset", "OPENMV_AE3", "--image", "ROMFS0=" + (files / "romfs0.img").string()});
  ASSERT_EQ(f.exit_code, 0) << f.err;
  ASSERT_TRUE(bus.memory("AE3OS", "ospi").substr(0x800000, romfs.size()) == romfs);
  std::string key = "OMV-SIM-OSPI-KEY";
  write_file(files / "key.bin", key + std::string(4080, '\0'));
  write_file(files / "wrong.bin", std::string("NOT-THE-RIGHT-KY") + std::string(4080, '\0'));
  const std::vector<std::string> base{"recover", "OPENMV_AE3", "--ospi", "--key"};
  auto args = [&](const std::string& file, std::vector<std::string> extra) {
    std::vector<std::string> a = base;
    a.push_back((files / file).string());
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };
  auto no_yes = bus.run(args("key.bin", {}));
  EXPECT_EQ(no_yes.exit_code, 9) << no_yes.err;
  EXPECT_NE(no_yes.err.find("--yes"), std::string::npos) << no_yes.err;
  auto no_key = bus.run({"recover", "OPENMV_AE3", "--ospi", "--yes"});
  EXPECT_EQ(no_key.exit_code, 2) << no_key.err;
  EXPECT_NE(no_key.err.find("flash_recovery_key.py"), std::string::npos) << no_key.err;
  EXPECT_TRUE(bus.memory("AE3OS", "ospi").substr(0x800000, romfs.size()) == romfs);

  auto wrong = bus.run(args("wrong.bin", {"--yes"}));
  EXPECT_EQ(wrong.exit_code, 6) << wrong.err;
  EXPECT_NE(wrong.err.find("errFILE"), std::string::npos) << wrong.err;
  EXPECT_TRUE(bus.memory("AE3OS", "ospi").substr(0x800000, romfs.size()) == romfs);

  auto ok = bus.run(args("key.bin", {"--yes"}));
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_TRUE(all_ff(bus.memory("AE3OS", "ospi"), 0, 0x2000000));
  EXPECT_EQ(bus.stats("AE3OS")["model"].value("octal_flash_recovered", 0), 1);
  // Once per boot.
  auto again = bus.run(args("key.bin", {"--yes"}));
  EXPECT_EQ(again.exit_code, 6) << again.err;
}

}  // namespace
}  // namespace omv::test::ae3_recover_test

namespace omv::test::ae3_recover_test {
namespace {

TEST(Ae3Deploy, BurnsEveryImageOfThePackageScriptAtItsAddress) {
  if (!platform::os::kAnyBaudRate) GTEST_SKIP() << "the Secure Enclave's 55000 baud needs the Linux layer (termios2)";
  SimBus bus;
  TempDir build;
  bus.start_mode("OPENMV_AE3", "AE3DP", "isp");
  std::filesystem::create_directories(build / "bin");
  const auto boot = random_bytes(40000, 91), hp = random_bytes(300001, 92), toc = random_bytes(8192, 93);
  write_file(build / "bin" / "bootloader.bin", boot);
  write_file(build / "bin" / "firmware_M55_HP.bin", hp);  // not a multiple of 16: padded in memory only
  write_file(build / "AppTocPackage.bin", toc);
  write_file(build / "application_package.ds",
             "set semihosting args bin/bootloader.bin 0x80000000 bin/firmware_M55_HP.bin 0x80020000 AppTocPackage.bin "
             "2153242624\ncontinue\nwait\nreset reset.hardware\n");
  const std::string ds = (build / "application_package.ds").string();
  auto dry = bus.run({"deploy", "OPENMV_AE3", "--ds", ds, "--dry-run"});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.err.find("3 image(s)"), std::string::npos) << dry.err;
  EXPECT_NE(dry.err.find("s on the serial line at 921600 baud"), std::string::npos) << dry.err;
  EXPECT_EQ(bus.stats("AE3DP")["bytes_programmed"], 0);
  auto verify = bus.run({"deploy", "OPENMV_AE3", "--ds", ds, "--verify"});
  EXPECT_EQ(verify.exit_code, 15) << verify.err;
  EXPECT_NE(verify.err.find("not implemented yet"), std::string::npos) << verify.err;
  EXPECT_EQ(bus.stats("AE3DP")["bytes_programmed"], 0);

  auto r = bus.run({"deploy", "OPENMV_AE3", "--ds", ds, "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const auto mram = bus.memory("AE3DP", "mram");
  EXPECT_TRUE(mram.substr(0, boot.size()) == boot);
  EXPECT_TRUE(mram.substr(0x20000, hp.size()) == hp);
  EXPECT_EQ(mram.substr(0x20000 + hp.size(), 15), std::string(15, '\0'));  // the padding
  EXPECT_TRUE(mram.substr(0x57E000, toc.size()) == toc);
  EXPECT_TRUE(all_ff(mram, boot.size(), 0x20000 - boot.size()));
  EXPECT_EQ(read_file(build / "bin" / "firmware_M55_HP.bin").size(), 300001u);
}

TEST(Ae3Deploy, ABadPackageScriptIsRefusedBeforeThePortIsOpened) {
  if (!platform::os::kAnyBaudRate) GTEST_SKIP() << "the Secure Enclave's 55000 baud needs the Linux layer (termios2)";
  SimBus bus;
  TempDir build;
  bus.start_mode("OPENMV_AE3", "AE3BD", "isp");
  write_file(build / "a.bin", random_bytes(4096, 94));
  auto deploy = [&](const std::string& list) {
    write_file(build / "p.ds", "set semihosting args " + list + "\ncontinue\n");
    return bus.run({"deploy", "OPENMV_AE3", "--ds", (build / "p.ds").string()});
  };
  auto missing = deploy("a.bin 0x80000000 gone.bin 0x80020000");
  EXPECT_EQ(missing.exit_code, 2) << missing.err;
  EXPECT_NE(missing.err.find("gone.bin is listed but does not exist (looked in"), std::string::npos) << missing.err;
  auto se_area = deploy("a.bin 0x8057F800");
  EXPECT_EQ(se_area.exit_code, 9) << se_area.err;
  EXPECT_NE(se_area.err.find("it would reach the Secure Enclave's area"), std::string::npos) << se_area.err;
  auto overlap = deploy("a.bin 0x80000000 a.bin 0x80000800");
  EXPECT_EQ(overlap.exit_code, 9) << overlap.err;
  auto odd = deploy("a.bin");
  EXPECT_EQ(odd.exit_code, 3) << odd.err;
  EXPECT_NE(odd.err.find("'a.bin' has no address"), std::string::npos) << odd.err;
  auto s = bus.stats("AE3BD");
  EXPECT_EQ(s["model"].value("START_ISP", 0), 0) << s.dump();
  EXPECT_EQ(s["bytes_programmed"], 0);
  // The same camera takes a good script (no bootloader in it, so it stays in ISP mode).
  auto good = deploy("a.bin 0x80020000");
  ASSERT_EQ(good.exit_code, 0) << good.err;
  s = bus.stats("AE3BD");
  EXPECT_GT(s["model"].value("START_ISP", 0), 0) << s.dump();
  EXPECT_EQ(s["bytes_programmed"], 4096) << s.dump();
}

}  // namespace
}  // namespace omv::test::ae3_recover_test
