// The Arduino Nano RP2040 Connect in BOOTSEL mode: omv flash/read/verify/erase-fs over PICOBOOT
// against the virtual RP2040 boot ROM, the RPI-RP2 drive path, and what is refused.
#include <chrono>
#include <thread>

#include "dfu_support.h"
#include "image/uf2.h"

namespace omv::test::nano_rp2040_test {
namespace {

const std::string kTarget = "ARDUINO_NANO_RP2040_CONNECT";
constexpr size_t kFs = 0x200000;  // FILESYSTEM offset in flash.bin (0x10200000)

std::string uf2_of(const std::string& data, uint32_t address, uint32_t family) {
  auto bytes = image::build_uf2({{address, std::vector<uint8_t>(data.begin(), data.end()), std::nullopt}}, family);
  return std::string(bytes.begin(), bytes.end());
}

// Waits (bounded) for the camera to publish a generation above `than`.
int wait_generation_above(const SimBus& bus, const std::string& serial, int than) {
  for (int i = 0; i < 200; ++i) {
    auto j = nlohmann::json::parse(read_file(bus.camera(serial) / "device.json"), nullptr, false);
    if (j.is_object() && j.value("generation", 0) > than) return j.value("generation", 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return than;
}

TEST(NanoRp2040, FlashBinaryOverPicobootAndReboot) {
  SimBus bus;
  bus.start(kTarget, "RP2040");
  TempDir files;
  const auto fw = random_bytes(300 * 1024 + 100, 1);
  write_file(files / "firmware.bin", fw);
  auto r = bus.run({"flash", kTarget, "--firmware", (files / "firmware.bin").string(), "--verify"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto mem = bus.memory("RP2040", "flash");
  EXPECT_EQ(mem.substr(0, fw.size()), fw);
  EXPECT_TRUE(all_ff(mem, fw.size(), 4096 - fw.size() % 4096));
  EXPECT_TRUE(all_ff(mem, kFs, 4096));
  auto s = bus.stats("RP2040");
  EXPECT_EQ(s["erases"], (fw.size() + 4095) / 4096);
  EXPECT_EQ(s["bits_not_erased"], 0);
  EXPECT_GE(s["generation"].get<int>(), 2);  // REBOOT: it left BOOTSEL
}

TEST(NanoRp2040, FlashUf2ReadVerifyAndSkipUnchanged) {
  SimBus bus;
  bus.start(kTarget, "RP2040");
  TempDir files;
  auto fw = random_bytes(64 * 1024, 2);
  write_file(files / "firmware.uf2", uf2_of(fw, 0x10000000, image::kUf2FamilyRp2040));
  ASSERT_EQ(bus.run({"flash", kTarget, "--firmware", (files / "firmware.uf2").string()}).exit_code, 0);
  EXPECT_EQ(bus.memory("RP2040", "flash").substr(0, fw.size()), fw);
  const auto s1 = bus.stats("RP2040");

  auto again = bus.run({"--json", "flash", kTarget, "--firmware", (files / "firmware.uf2").string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto s2 = bus.stats("RP2040");
  EXPECT_EQ(s2["bytes_programmed"], s1["bytes_programmed"]);
  EXPECT_EQ(s2["erases"], s1["erases"]);

  fw[5 * 4096 + 3] = static_cast<char>(fw[5 * 4096 + 3] ^ 0x7F);
  write_file(files / "firmware.uf2", uf2_of(fw, 0x10000000, image::kUf2FamilyRp2040));
  ASSERT_EQ(bus.run({"flash", kTarget, "--firmware", (files / "firmware.uf2").string()}).exit_code, 0);
  auto s3 = bus.stats("RP2040");
  EXPECT_EQ(s3["erases"].get<int>() - s2["erases"].get<int>(), 1);
  EXPECT_EQ(s3["bytes_programmed"].get<uint64_t>() - s2["bytes_programmed"].get<uint64_t>(), 4096u);

  auto rd = bus.run({"read", kTarget, "--partition", "FIRMWARE", "-o", (files / "back.bin").string(), "--length",
                     std::to_string(fw.size())});
  ASSERT_EQ(rd.exit_code, 0) << rd.err;
  EXPECT_EQ(read_file(files / "back.bin"), fw);
  write_file(files / "firmware.bin", fw);
  EXPECT_EQ(bus.run({"verify", kTarget, "--firmware", (files / "firmware.bin").string()}).exit_code, 0);
}

TEST(NanoRp2040, EraseFsClearsTheFilesystemHeader) {
  SimBus bus;
  bus.start(kTarget, "RP2040");
  TempDir files;
  write_file(files / "fs.bin", random_bytes(8192, 3));
  ASSERT_EQ(bus.run({"flash", kTarget, "--image", "FILESYSTEM=" + (files / "fs.bin").string()}).exit_code, 0);
  auto r = bus.run({"erase-fs", kTarget});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto mem = bus.memory("RP2040", "flash");
  EXPECT_EQ(mem.substr(kFs, 4096), std::string(4096, '\0'));
  EXPECT_EQ(mem.substr(kFs + 4096, 4096), random_bytes(8192, 3).substr(4096));  // only the header
}

TEST(NanoRp2040, ARejectedCommandFailsWithTheStatusByName) {
  SimBus bus;
  bus.start(kTarget, "RP2040", {"--fault", "err_write"});
  TempDir files;
  write_file(files / "firmware.bin", random_bytes(8192, 4));
  auto r = bus.run({"flash", kTarget, "--firmware", (files / "firmware.bin").string()});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("UNKNOWN_ERROR"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("PICOBOOT WRITE 0x10000000"), std::string::npos) << r.err;
}

TEST(NanoRp2040, AUf2ForAnotherFamilyIsRefused) {
  SimBus bus;
  bus.start(kTarget, "RP2040");
  TempDir files;
  write_file(files / "rp2350.uf2", uf2_of(random_bytes(4096, 5), 0x10000000, 0xE48BFF59));
  auto r = bus.run({"flash", kTarget, "--firmware", (files / "rp2350.uf2").string()});
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("rp2040"), std::string::npos) << r.err;
  EXPECT_EQ(bus.stats("RP2040")["bytes_programmed"], 0);
}

TEST(NanoRp2040, CopyOntoTheDriveFlashesAndReboots) {
  SimBus bus;
  bus.start(kTarget, "RP2040");
  TempDir files;
  const auto fw = random_bytes(10000, 6);
  write_file(files / "firmware.bin", fw);
  const auto drive = bus.camera("RP2040") / "drive";
  ASSERT_TRUE(std::filesystem::exists(drive / "INFO_UF2.TXT"));
  auto r = omv({"flash", kTarget, "--firmware", (files / "firmware.bin").string(), "--drive", drive.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_GE(wait_generation_above(bus, "RP2040", 1), 2) << "the board did not reboot after the copy";
  EXPECT_EQ(bus.memory("RP2040", "flash").substr(0, fw.size()), fw);
}

TEST(NanoRp2040, AFolderThatIsNotAnRp2DriveIsRefused) {
  TempDir files, plain, samd;
  write_file(files / "firmware.bin", random_bytes(4096, 7));
  auto r = omv({"flash", kTarget, "--firmware", (files / "firmware.bin").string(), "--drive", plain.path().string()});
  EXPECT_EQ(r.exit_code, 9) << r.err;
  EXPECT_NE(r.err.find("INFO_UF2.TXT"), std::string::npos) << r.err;
  write_file(samd / "INFO_UF2.TXT", "UF2 Bootloader v3.6.0\r\nModel: Adafruit Feather M0\r\nBoard-ID: SAMD21G18A-Feather-v0\r\n");
  auto s = omv({"flash", kTarget, "--firmware", (files / "firmware.bin").string(), "--drive", samd.path().string()});
  EXPECT_EQ(s.exit_code, 9) << s.err;
  EXPECT_NE(s.err.find("SAMD21G18A-Feather-v0"), std::string::npos) << s.err;
  size_t entries = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(samd.path())) ++entries;
  EXPECT_EQ(entries, 1u);  // nothing was written there
}

// The Raspberry Pi Pico shares the RP2040 boot ROM; its own board data puts FIRMWARE in the first
// 640 KiB and MicroPython's filesystem in the last 1408 KiB of its 2 MiB flash.
TEST(RpiPico, FlashAndEraseFsFollowItsOwnLayout) {
  SimBus bus;
  bus.start("RPI_PICO", "PICO1");
  TempDir files;
  const auto fw = random_bytes(200 * 1024, 8);
  write_file(files / "firmware.bin", fw);
  write_file(files / "fs.bin", random_bytes(8192, 9));
  auto r = bus.run({"flash", "RPI_PICO", "--firmware", (files / "firmware.bin").string(), "--image",
                    "FILESYSTEM=" + (files / "fs.bin").string(), "--verify"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto mem = bus.memory("PICO1", "flash");
  ASSERT_EQ(mem.size(), 2u * 1024 * 1024);
  EXPECT_EQ(mem.substr(0, fw.size()), fw);
  EXPECT_EQ(mem.substr(0xA0000, 8192), random_bytes(8192, 9));
  ASSERT_EQ(bus.run({"erase-fs", "RPI_PICO"}).exit_code, 0);
  mem = bus.memory("PICO1", "flash");
  EXPECT_EQ(mem.substr(0xA0000, 4096), std::string(4096, '\0'));
  EXPECT_EQ(mem.substr(0, fw.size()), fw);  // the firmware is untouched

  // 700 KiB does not fit the 640 KiB FIRMWARE partition: a safety refusal before anything is sent.
  const auto programmed = bus.stats("PICO1")["bytes_programmed"];
  write_file(files / "big.bin", random_bytes(700 * 1024, 10));
  auto big = bus.run({"flash", "RPI_PICO", "--firmware", (files / "big.bin").string()});
  EXPECT_EQ(big.exit_code, 9) << big.err;
  EXPECT_NE(big.err.find("FIRMWARE"), std::string::npos) << big.err;
  EXPECT_EQ(bus.stats("PICO1")["bytes_programmed"], programmed);
}

}  // namespace
}  // namespace omv::test::nano_rp2040_test
