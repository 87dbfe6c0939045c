// omv flash / read / verify / erase-fs against virtual cameras of the DFU boards.
#include "dfu_support.h"

namespace omv::test::dfu_flash_test {
namespace {

constexpr size_t kFw = 0x40000;  // OPENMV4 FIRMWARE offset in internal.bin (0x08040000)

TEST(DfuFlash, FlashThenReadBackEqualsTheImagesAndTheMemoryFile) {
  SimBus bus;
  bus.start("OPENMV4", "H7");
  TempDir files;
  auto fw = random_bytes(300 * 1024 + 17, 1);
  auto romfs = random_bytes(40 * 1024, 2);
  write_file(files / "firmware.bin", fw);
  write_file(files / "romfs0.img", romfs);
  auto r = bus.run({"flash", "--no-reset", "OPENMV4", "--firmware", (files / "firmware.bin").string(), "--romfs",
                    (files / "romfs0.img").string(), "--verify"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("wrote"), std::string::npos) << r.err;

  auto mem = bus.memory("H7", "internal");
  EXPECT_EQ(mem.substr(kFw, fw.size()), fw);
  EXPECT_TRUE(all_ff(mem, kFw + fw.size(), 3 * 128 * 1024 - fw.size()));  // rest of the last sector: erased
  EXPECT_EQ(mem.substr(0x1E0000, romfs.size()), romfs);
  EXPECT_TRUE(all_ff(mem, 0, 0x40000));  // bootloader and filesystem untouched

  auto out = files / "readback.bin";
  auto rd = bus.run({"read", "OPENMV4", "--partition", "FIRMWARE", "-o", out.string(), "--length",
                     std::to_string(fw.size())});
  ASSERT_EQ(rd.exit_code, 0) << rd.err;
  EXPECT_EQ(read_file(out), fw);
  auto whole = bus.run({"read", "OPENMV4", "--partition", "romfs0", "-o", (files / "r.bin").string()});
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  auto romfs_back = read_file(files / "r.bin");
  EXPECT_EQ(romfs_back.size(), 0x20000u);  // the partition, without the upload's end marker
  EXPECT_EQ(romfs_back.substr(0, romfs.size()), romfs);

  auto v = bus.run({"verify", "OPENMV4", "--firmware", (files / "firmware.bin").string()});
  EXPECT_EQ(v.exit_code, 0) << v.err;
}

TEST(DfuFlash, ReflashProgramsNothingAndOneChangedSectorRewritesOnlyIt) {
  SimBus bus;
  bus.start("OPENMV4", "H7");
  TempDir files;
  auto fw = random_bytes(5 * 128 * 1024, 3);
  write_file(files / "firmware.bin", fw);
  ASSERT_EQ(bus.run({"flash", "--no-reset", "OPENMV4", "--firmware", (files / "firmware.bin").string()}).exit_code, 0);
  auto s1 = bus.stats("H7");
  EXPECT_EQ(s1["erases"], 5);
  EXPECT_EQ(s1["bytes_programmed"], fw.size());

  auto again = bus.run({"--json", "flash", "--no-reset", "OPENMV4", "--firmware", (files / "firmware.bin").string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto s2 = bus.stats("H7");
  EXPECT_EQ(s2["erases"], s1["erases"]);
  EXPECT_EQ(s2["bytes_programmed"], s1["bytes_programmed"]);
  EXPECT_NE(again.out.find("\"skipped_bytes\":655360"), std::string::npos) << again.out;

  fw[3 * 128 * 1024 + 1000] ^= 0x5A;  // one byte in the fourth sector
  write_file(files / "firmware.bin", fw);
  ASSERT_EQ(bus.run({"flash", "--no-reset", "OPENMV4", "--firmware", (files / "firmware.bin").string()}).exit_code, 0);
  auto s3 = bus.stats("H7");
  EXPECT_EQ(s3["erases"].get<int>(), s2["erases"].get<int>() + 1);
  EXPECT_EQ(s3["bytes_programmed"].get<uint64_t>(), s2["bytes_programmed"].get<uint64_t>() + 128 * 1024);
  EXPECT_EQ(bus.memory("H7", "internal").substr(kFw, fw.size()), fw);
  EXPECT_EQ(s3["bits_not_erased"], 0);

  // --no-skip writes everything again.
  ASSERT_EQ(bus.run({"flash", "--no-reset", "OPENMV4", "--no-skip", "--firmware", (files / "firmware.bin").string()}).exit_code, 0);
  EXPECT_EQ(bus.stats("H7")["erases"].get<int>(), s3["erases"].get<int>() + 5);
}

TEST(DfuFlash, DryRunChangesNothing) {
  SimBus bus;
  bus.start("OPENMV4", "H7");
  TempDir files;
  write_file(files / "firmware.bin", random_bytes(200 * 1024, 4));
  auto before = bus.memory("H7", "internal");
  auto r = bus.run({"--json", "flash", "--no-reset", "OPENMV4", "--dry-run", "--firmware", (files / "firmware.bin").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"dry_run\":true"), std::string::npos);
  EXPECT_NE(r.out.find("\"action\":\"write\""), std::string::npos);
  EXPECT_EQ(bus.memory("H7", "internal"), before);
  EXPECT_EQ(bus.stats("H7")["bytes_programmed"], 0);
}

TEST(DfuFlash, EraseFsChangesOnlyTheFilesystemsFirstEraseUnit) {
  SimBus bus;
  bus.start("OPENMV4", "H7");
  TempDir files;
  auto fs = random_bytes(0x20000, 5);  // the whole FILESYSTEM partition
  write_file(files / "fs.bin", fs);
  ASSERT_EQ(bus.run({"flash", "--no-reset", "OPENMV4", "--image", "FILESYSTEM=" + (files / "fs.bin").string()}).exit_code, 0);
  auto before = bus.memory("H7", "internal");
  auto r = bus.run({"erase-fs", "--no-reset", "OPENMV4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto after = bus.memory("H7", "internal");
  const size_t fs_start = 0x20000, unit = 0x20000;
  EXPECT_EQ(after.substr(0, fs_start), before.substr(0, fs_start));
  EXPECT_EQ(after.substr(fs_start + unit), before.substr(fs_start + unit));
  EXPECT_EQ(after.substr(fs_start, 4096), std::string(4096, '\0'));
  EXPECT_TRUE(all_ff(after, fs_start + 4096, unit - 4096));
}

TEST(DfuFlash, BuildFilesFromTheBuildFolderAndResetAfterTheLastImage) {
  SimBus bus;
  bus.start("OPENMV_N6", "N6");
  TempDir build;
  auto fw = random_bytes(150 * 1024, 6), romfs = random_bytes(70 * 1024, 7);
  write_file(build / "bin" / "firmware.bin", fw);
  write_file(build / "bin" / "romfs0.img", romfs);
  auto device = [&] {
    auto j = nlohmann::json::parse(read_file(bus.camera("N6") / "device.json"), nullptr, false);
    return j.is_object() ? j : nlohmann::json{{"generation", -1}};
  };
  auto gen = device()["generation"].get<int>();
  auto r = bus.run({"flash", "OPENMV_N6", "--build-dir", build.path().string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto mem = bus.memory("N6", "xspi2");
  EXPECT_EQ(mem.substr(0x80000, fw.size()), fw);
  EXPECT_EQ(mem.substr(0x800000, romfs.size()), romfs);
  EXPECT_TRUE(all_ff(mem, 0, 0x80000));
  // DETACH after the last image: the camera re-enumerates (its process swaps models meanwhile).
  int now = -1;
  for (int i = 0; i < 250 && now <= gen; ++i) {
    now = device()["generation"].get<int>();
    if (now <= gen) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_GT(now, gen);
}

TEST(DfuFlash, Ae3FourImages) {
  SimBus bus;
  bus.start("OPENMV_AE3", "AE3");
  TempDir build;
  auto hp = random_bytes(64 * 1024 + 5, 8), he = random_bytes(40 * 1024, 9);
  auto r1 = random_bytes(20 * 1024, 10), r0 = random_bytes(30 * 1024, 11);
  write_file(build / "firmware_M55_HP.bin", hp);
  write_file(build / "firmware_M55_HE.bin", he);
  write_file(build / "romfs1.img", r1);
  write_file(build / "romfs0.img", r0);
  auto r = bus.run({"flash", "--no-reset", "OPENMV_AE3", "--build-dir", build.path().string(), "--verify"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto mram = bus.memory("AE3", "mram"), ospi = bus.memory("AE3", "ospi");
  EXPECT_EQ(mram.substr(0x20000, hp.size()), hp);
  EXPECT_EQ(mram.substr(0x320000, he.size()), he);
  EXPECT_EQ(mram.substr(0x47E000, r1.size()), r1);
  EXPECT_EQ(ospi.substr(0x800000, r0.size()), r0);
  EXPECT_TRUE(all_ff(mram, 0, 0x20000));  // BOOT untouched

  // One changed block in HE: the MRAM partition is unlocked from block 0, then that block written.
  auto before = bus.stats("AE3")["bytes_programmed"].get<uint64_t>();
  he[20000] ^= 1;
  write_file(build / "firmware_M55_HE.bin", he);
  ASSERT_EQ(bus.run({"flash", "--no-reset", "OPENMV_AE3", "--build-dir", build.path().string()}).exit_code, 0);
  EXPECT_EQ(bus.stats("AE3")["bytes_programmed"].get<uint64_t>(), before + 2 * 4096);
  EXPECT_EQ(bus.memory("AE3", "mram").substr(0x320000, he.size()), he);
}

TEST(DfuFlash, ArduinoFirmwareAndWifiBluetoothBlobs) {
  SimBus bus;
  bus.start("ARDUINO_PORTENTA_H7", "PORTENTA");
  TempDir files;
  auto fw = random_bytes(100 * 1024, 12), wifi = random_bytes(20 * 1024 + 3, 13), bt = random_bytes(9 * 1024, 14);
  write_file(files / "firmware.bin", fw);
  write_file(files / "cyw4343_7_45_98_102.bin", wifi);
  write_file(files / "cyw4343_btfw.bin", bt);
  auto r = bus.run({"flash", "--no-reset", "ARDUINO_PORTENTA_H7", "--firmware", (files / "firmware.bin").string(), "--image",
                    "WIFI_FW=" + (files / "cyw4343_7_45_98_102.bin").string(), "--image",
                    "BT_FW=" + (files / "cyw4343_btfw.bin").string(), "--verify"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto internal = bus.memory("PORTENTA", "internal"), qspi = bus.memory("PORTENTA", "qspi");
  EXPECT_EQ(internal.substr(0x40000, fw.size()), fw);
  EXPECT_EQ(qspi.substr(0xF00000, wifi.size()), wifi);
  EXPECT_EQ(qspi.substr(0xFC0000, bt.size()), bt);
  EXPECT_TRUE(all_ff(internal, 0, 0x40000));
  EXPECT_TRUE(all_ff(qspi, 0, 0xF00000));

  // The two-address filesystem erase.
  ASSERT_EQ(bus.run({"erase-fs", "--no-reset", "ARDUINO_PORTENTA_H7"}).exit_code, 0);
  internal = bus.memory("PORTENTA", "internal");
  qspi = bus.memory("PORTENTA", "qspi");
  EXPECT_EQ(internal.substr(0x20000, 4096), std::string(4096, '\0'));
  EXPECT_EQ(qspi.substr(0, 4096), std::string(4096, '\0'));
  EXPECT_EQ(qspi.substr(0xF00000, wifi.size()), wifi);
}

TEST(DfuFlash, EveryDfuBoardFlashesAndReadsBack) {
  SimBus bus;
  TempDir files;
  auto fw = random_bytes(24 * 1024 + 7, 15);
  write_file(files / "fw.bin", fw);
  for (const char* target : {"OPENMV2", "OPENMV3", "OPENMV4P", "OPENMVPT", "ARDUINO_GIGA", "ARDUINO_NICLA_VISION",
                             "MPS2_AN500", "MPS3_AN547", "OPENMV1"}) {
    SCOPED_TRACE(target);
    bus.start(target, target);
    auto r = bus.run({"flash", "--no-reset", target, "--firmware", (files / "fw.bin").string(), "--serial", target, "--verify"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const std::string part = std::string(target) == "OPENMV1" ? "FLASH" : "FIRMWARE";
    auto rd = bus.run({"read", target, "--partition", part, "--serial", target, "-o",
                       (files / (std::string(target) + ".bin")).string(), "--length", std::to_string(fw.size())});
    ASSERT_EQ(rd.exit_code, 0) << rd.err;
    EXPECT_EQ(read_file(files / (std::string(target) + ".bin")), fw);
    bus.stop(target);
  }
}

TEST(DfuFlash, EmulatedBoardForTheDebugLoop) {
  SimBus bus;
  auto r = omv({"sim", "start", "MPS2_AN500", "--bus", bus.path(), "--time-scale", "0", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string serial;
  for (size_t pos = 0; (pos = r.out.find('{', pos)) != std::string::npos; ++pos) {
    auto j = nlohmann::json::parse(r.out.substr(pos, r.out.find('\n', pos) - pos), nullptr, false);
    if (j.is_object() && j.contains("data") && j["data"].contains("serial")) serial = j["data"]["serial"];
  }
  ASSERT_FALSE(serial.empty()) << r.out;
  TempDir files;
  auto fw = random_bytes(70 * 1024, 16);
  write_file(files / "firmware.bin", fw);
  auto f = bus.run({"flash", "--no-reset", "MPS2_AN500", "--firmware", (files / "firmware.bin").string()});
  ASSERT_EQ(f.exit_code, 0) << f.err;
  EXPECT_EQ(bus.memory(serial, "code").substr(0, fw.size()), fw);
}

TEST(DfuFlash, ListShowsTheBootloaders) {
  SimBus bus;
  bus.start("OPENMV4", "A1");
  bus.start("ARDUINO_NICLA_VISION", "A2");
  bus.start("OPENMV3", "A3", {"--mode", "rom"});
  auto r = bus.run({"--json", "list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = nlohmann::json::parse(r.out);
  std::map<std::string, nlohmann::json> by_serial;
  for (const auto& d : j) by_serial[d["serial"]] = d;
  ASSERT_EQ(by_serial.size(), 3u) << r.out;
  EXPECT_EQ(by_serial["A1"]["boards"][0], "OPENMV4");
  EXPECT_EQ(by_serial["A1"]["mode"], "bootloader");
  EXPECT_EQ(by_serial["A2"]["boards"][0], "ARDUINO_NICLA_VISION");
  EXPECT_EQ(by_serial["A3"]["mode"], "rom");
  EXPECT_NE(r.out.find("0483:DF11"), std::string::npos);
}

}  // namespace
}  // namespace omv::test::dfu_flash_test
