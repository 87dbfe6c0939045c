// omv recover OPENMV_N6: the native walk through a virtual N6 boot ROM and ST's OpenBootloader
// (omv sim start OPENMV_N6 --mode rom), the refusals before anything is sent, and the
// STM32_Programmer_CLI stand-in for --with-cubeprogrammer.
#include "n6_support.h"

namespace omv::test::n6_recover_test {
namespace {

constexpr size_t kSector = 64 * 1024;

std::vector<std::string> recover_args(const N6Files& f, std::vector<std::string> extra = {}) {
  std::vector<std::string> a{"recover", "OPENMV_N6", "--layout", f.layout().string()};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

// The camera's normal life first: firmware through its OpenMV bootloader, then the boot switch.
std::string flash_firmware_then_rom(const SimBus& bus, const std::string& serial, const TempDir& files) {
  bus.start("OPENMV_N6", serial);
  auto fw = random_bytes(300 * 1024, 61);
  write_file(files / "firmware.bin", fw);
  auto r = bus.run({"flash", "--no-reset", "OPENMV_N6", "--firmware", (files / "firmware.bin").string()});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  bus.stop(serial);
  bus.start_mode("OPENMV_N6", serial, "rom");
  return fw;
}

TEST(N6Recover, WalksRomAndOpenBootloaderAndWritesOnlyTheBootloader) {
  SimBus bus;
  TempDir files;
  N6Files n6;
  auto fw = flash_firmware_then_rom(bus, "N6CAM", files);
  auto before = bus.memory("N6CAM", "xspi2");
  auto listed = bus.list();
  ASSERT_EQ(listed.size(), 1u) << listed.dump();
  EXPECT_EQ(listed[0]["mode"], "rom") << listed.dump();
  EXPECT_EQ(listed[0]["boards"], nlohmann::json::array({"OPENMV_N6"})) << listed.dump();

  auto r = bus.run(recover_args(n6, {"--json"}));
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  auto after = bus.memory("N6CAM", "xspi2");
  ASSERT_EQ(after.size(), before.size());
  EXPECT_TRUE(after.substr(0, n6.bootloader.size()) == n6.bootloader);
  const size_t erased_to = (n6.bootloader.size() + kSector - 1) / kSector * kSector;
  EXPECT_TRUE(all_ff(after, n6.bootloader.size(), erased_to - n6.bootloader.size()));
  EXPECT_TRUE(after.substr(erased_to) == before.substr(erased_to));  // firmware and everything else kept
  EXPECT_TRUE(after.substr(0x80000, fw.size()) == fw);

  // The camera went through both stages: one process, now ST's OpenBootloader.
  EXPECT_EQ(bus.device("N6CAM")["mode"], "openbl");
  EXPECT_EQ(bus.list()[0]["mode"], "openbl");
  auto s = bus.stats("N6CAM");
  EXPECT_EQ(s["mode"], "openbl") << s.dump();
  EXPECT_GT(s["model"].value("dnload_phase_0x04", 0), 0) << s.dump();
  EXPECT_GT(s["model"].value("UPLOAD", 0), 0) << s.dump();
  // The last line is the result event with the phases in the order the devices asked.
  const auto last = r.out.substr(r.out.rfind('\n', r.out.size() - 2) + 1);
  auto result = nlohmann::json::parse(last, nullptr, false);
  ASSERT_TRUE(result.is_object()) << r.out;
  std::vector<std::string> phases;
  for (const auto& p : result["data"]["phases"]) phases.push_back(p["phase"]);
  EXPECT_EQ(phases, (std::vector<std::string>{"0x01", "0x00", "0x03", "0x04"})) << result.dump();
  EXPECT_EQ(result["data"]["stages"], nlohmann::json::array({"boot ROM", "OpenBootloader"}));
  EXPECT_EQ(result["data"]["nor_bytes"], n6.bootloader.size());
}

TEST(N6Recover, FindsOpenmvIdesFolderAndPrefersTheChosenBootloader) {
  SimBus bus;
  N6Files n6;
  TempDir files;
  bus.start_mode("OPENMV_N6", "N6IDE", "rom");
  auto mine = as_text(image::make_stm32_v23(test_data::pattern(70000, 5), 0x34180401));
  write_file(files / "bootloader.bin", mine);
  RunOptions env;
  env.env["OMV_IDE_DIR"] = n6.ide.path().string();
  auto r = omv({"--sim", bus.path(), "recover", "OPENMV_N6", "--bootloader", (files / "bootloader.bin").string()}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("using OpenMV IDE's recovery files: " + n6.layout().string()), std::string::npos) << r.err;
  EXPECT_TRUE(bus.memory("N6IDE", "xspi2").substr(0, mine.size()) == mine);
  EXPECT_NE(r.err.find("boot switch"), std::string::npos) << r.err;
}

TEST(N6Recover, DryRunPrintsThePlanAndTouchesNothing) {
  SimBus bus;
  N6Files n6;
  bus.start_mode("OPENMV_N6", "N6DRY", "rom");
  auto r = bus.run(recover_args(n6, {"--dry-run", "--json"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto result = nlohmann::json::parse(r.out.substr(r.out.rfind("\n{\"data\"") + 1), nullptr, false);
  ASSERT_TRUE(result.is_object()) << r.out;
  EXPECT_EQ(result["data"]["steps"].size(), 3u);
  EXPECT_EQ(result["data"]["steps"][2]["target"], "0x00000000");
  EXPECT_EQ(result["data"]["layout_blob_bytes"], 256 + 104);
  auto s = bus.stats("N6DRY");
  EXPECT_EQ(s["model"].value("UPLOAD", 0), 0) << s.dump();
  EXPECT_EQ(s["model"].value("DNLOAD", 0), 0) << s.dump();
}

TEST(N6Recover, AnotherStm32sRomIsRefusedNamingWhatItReported) {
  SimBus bus;
  N6Files n6;
  bus.start_mode("OPENMV4", "H7ROM", "rom");
  auto r = bus.run(recover_args(n6));
  EXPECT_EQ(r.exit_code, 9) << r.err;
  EXPECT_NE(r.err.find("is not an STM32N657: it reports no device ID (product \"DFU in FS Mode\")"), std::string::npos)
      << r.err;
  auto s = bus.stats("H7ROM");
  EXPECT_EQ(s["model"].value("DNLOAD", 0), 0) << s.dump();
  EXPECT_EQ(s["model"].value("UPLOAD", 0), 0) << s.dump();
  auto none = omv({"--sim", TempDir().path().string(), "recover", "OPENMV_N6", "--layout", n6.layout().string()});
  EXPECT_EQ(none.exit_code, 5) << none.err;
  EXPECT_NE(none.err.find("boot switch"), std::string::npos) << none.err;
}

TEST(N6Recover, BadFilesAreRefusedBeforeTheDeviceIsTouched) {
  SimBus bus;
  bus.start_mode("OPENMV_N6", "N6BAD", "rom");
  auto nothing_sent = [&] {
    auto s = bus.stats("N6BAD");
    EXPECT_EQ(s["model"].value("UPLOAD", 0) + s["model"].value("DNLOAD", 0), 0) << s.dump();
    EXPECT_TRUE(all_ff(bus.memory("N6BAD", "xspi2"), 0, 0x80000));
  };
  {
    N6Files n6;
    auto bad = n6.openbl;
    bad[0x600] = static_cast<char>(bad[0x600] ^ 0x40);
    write_file(n6.folder / "OpenBootloader_STM32N6570-DK-trusted.stm32", bad);
    auto r = bus.run(recover_args(n6));
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("OpenBootloader_STM32N6570-DK-trusted.stm32: STM32 image: offset 100 (0x64): checksum"),
              std::string::npos)
        << r.err;
  }
  {
    N6Files n6;
    n6.write_layout("#Opt\tId\tName\tType\tIP\tOffset\tBinary\nP\t0x1\tfsbl-openbl\tBinary\tnone\t0x0\tob.stm32\n"
                    "P\t0x1\tagain\tBinary\tnor0\t0x0\tbootloader.bin\n");
    auto r = bus.run(recover_args(n6));
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("FlashLayout.tsv:3: FlashLayout: Id 0x01 is used again"), std::string::npos) << r.err;
  }
  {
    N6Files n6;
    n6.write_layout("P\t0x1\tfsbl-openbl\tBinary\tnone\t0x0\tOpenBootloader_STM32N6570-DK-trusted.stm32\n"
                    "P\t0x3\tfsbl-extfl\tBinary\tnone\t0x0\tMX66UW1G45G_STM32N6570-DK-OBL.bin\n"
                    "P\t0x4\tfsbl-app\tBinary\tnone\t0x0\tbootloader.bin\n");
    auto r = bus.run(recover_args(n6));
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find("IP is none"), std::string::npos) << r.err;
  }
  {
    N6Files n6;
    std::filesystem::remove(n6.folder / "MX66UW1G45G_STM32N6570-DK-OBL.bin");
    auto r = bus.run(recover_args(n6));
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("MX66UW1G45G_STM32N6570-DK-OBL.bin does not exist"), std::string::npos) << r.err;
  }
  {
    N6Files n6(600 * 1024);  // over the 512 KiB bootloader partition
    auto r = bus.run(recover_args(n6));
    EXPECT_EQ(r.exit_code, 9) << r.err;
    EXPECT_NE(r.err.find("from BOOTLOADER into FIRMWARE"), std::string::npos) << r.err;
  }
  {
    N6Files n6;
    auto r = bus.run({"recover", "OPENMV_N6", "--openbl", (n6.folder / "OpenBootloader_STM32N6570-DK-trusted.stm32").string(),
                      "--bootloader", (n6.folder / "bootloader.bin").string()});
    EXPECT_EQ(r.exit_code, 2) << r.err;
    EXPECT_NE(r.err.find("ST's two helper files"), std::string::npos) << r.err;
  }
  nothing_sent();
}

TEST(N6Recover, AnUnexpectedPhaseStopsTheWalkBeforeTheNorIsTouched) {
  SimBus bus;
  N6Files n6;
  // The OpenBootloader asks for phase 0x07, which no layout has.
  bus.start("OPENMV_N6", "N6ODD", {"--mode", "rom", "--fault", "wrong_phase@1K"});
  auto r = bus.run(recover_args(n6));
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("(OpenBootloader) asks for phase 0x07 at 0x70100000: the layout has no selected line with that "
                       "Id; stopped, nothing more was written"),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("--with-cubeprogrammer"), std::string::npos) << r.err;
  EXPECT_TRUE(all_ff(bus.memory("N6ODD", "xspi2"), 0, 0x80000));
  auto s = bus.stats("N6ODD");
  EXPECT_EQ(s["model"].value("dnload_phase_0x04", 0), 0) << s.dump();
}

TEST(N6Recover, AStartReadThatDoesNotConfirmThePhaseStopsTheWalk) {
  SimBus bus;
  N6Files n6;
  // Past the FSBL (41 KiB) and the layout, the next GetPhase is the loader's start read.
  bus.start("OPENMV_N6", "N6NACK", {"--mode", "rom", "--fault", "wrong_phase@45K"});
  auto r = bus.run(recover_args(n6));
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("asks for phase 0x07 at 0x70100000: the OpenBootloader did not confirm phase 0x03 it was just sent"),
            std::string::npos)
      << r.err;
  EXPECT_TRUE(all_ff(bus.memory("N6NACK", "xspi2"), 0, 0x80000));
}

TEST(N6Recover, ACameraThatVanishesMidWriteIsNamedAndTheRerunCompletes) {
  SimBus bus;
  N6Files n6;
  TempDir files;
  auto fw = flash_firmware_then_rom(bus, "N6GONE", files);
  bus.stop("N6GONE");
  bus.start("OPENMV_N6", "N6GONE", {"--mode", "rom", "--fault", "disconnect@100K"});
  auto r = bus.run(recover_args(n6));
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("left the bus during phase 0x04 at byte"), std::string::npos) << r.err;
  auto mid = bus.memory("N6GONE", "xspi2");
  EXPECT_TRUE(mid.substr(0x80000, fw.size()) == fw);  // nothing outside the bootloader's sectors
  // The camera is back in ST's OpenBootloader: the rerun starts there, without the ROM.
  ASSERT_TRUE(bus.wait_mode("N6GONE", "openbl", std::chrono::seconds(10)));
  r = bus.run(recover_args(n6, {"--json"}));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto after = bus.memory("N6GONE", "xspi2");
  EXPECT_TRUE(after.substr(0, n6.bootloader.size()) == n6.bootloader);
  EXPECT_TRUE(after.substr(0x80000, fw.size()) == fw);
}

TEST(N6Recover, WithCubeProgrammerRunsTheSeedsCommand) {
  N6Files n6;
  TempDir tool;
  const auto log = tool / "log";
  std::filesystem::create_directories(log);
  write_file(tool / "STM32_Programmer_CLI",
             "#!/bin/sh\nprintf '%s\\n' \"$@\" > '" + (log / "argv").string() + "'\n"
             "d=$(dirname \"$4\")\ncp \"$4\" '" + (log / "layout.tsv").string() + "'\n"
             "cp \"$d/bootloader.bin\" '" + (log / "bootloader.bin").string() + "'\nexit ${STANDIN_EXIT:-0}\n");
  std::filesystem::permissions(tool / "STM32_Programmer_CLI", std::filesystem::perms::owner_all);
  RunOptions env;
  env.env["STM32_PRG_PATH"] = tool.path().string();
  // The layout as given: exactly the seed's line (seed 10.8.2).
  auto r = omv({"recover", "OPENMV_N6", "--with-cubeprogrammer", "--layout", n6.layout().string()}, env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(log / "argv"), "-c\nport=USB1\n-d\n" + n6.layout().string() + "\n");
  EXPECT_TRUE(read_file(log / "bootloader.bin") == n6.bootloader);
  // A chosen bootloader.bin: a scratch copy of the folder with it swapped in, as OpenMV IDE does.
  TempDir mine;
  auto other = as_text(image::make_stm32_v23(test_data::pattern(9000, 12), 0x34180401));
  write_file(mine / "bootloader.bin", other);
  r = omv({"recover", "OPENMV_N6", "--with-cubeprogrammer", "--layout", n6.layout().string(), "--bootloader",
           (mine / "bootloader.bin").string()},
          env);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto argv = read_file(log / "argv");
  EXPECT_EQ(argv.rfind("-c\nport=USB1\n-d\n", 0), 0u) << argv;
  EXPECT_NE(argv.find("/FlashLayout.tsv\n"), std::string::npos) << argv;
  EXPECT_EQ(argv.find(n6.folder.string()), std::string::npos) << argv;
  EXPECT_TRUE(read_file(log / "bootloader.bin") == other);
  EXPECT_NE(read_file(log / "layout.tsv").find("P\t0x4\tfsbl-app\tBinary\tnor0\t0x0000000\tbootloader.bin\n"),
            std::string::npos);
  // Its failure is omv's failure.
  env.env["STANDIN_EXIT"] = "1";
  r = omv({"recover", "OPENMV_N6", "--with-cubeprogrammer", "--layout", n6.layout().string()}, env);
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("STM32_Programmer_CLI failed (exit 1)"), std::string::npos) << r.err;
  env.env["STM32_PRG_PATH"] = (tool / "nowhere").string();
  env.env["PATH"] = "/usr/bin:/bin";
  r = omv({"recover", "OPENMV_N6", "--with-cubeprogrammer", "--layout", n6.layout().string()}, env);
  EXPECT_EQ(r.exit_code, 13) << r.err;
  EXPECT_NE(r.err.find("STM32_PRG_PATH"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace omv::test::n6_recover_test
