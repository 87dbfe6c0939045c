// The Arduino Nano 33 BLE Sense over its SAM-BA bootloader: omv flash/read/verify against the
// virtual board on a pseudo-terminal, flash contents compared byte for byte, Debian's bossac as an
// independent cross-check, and the refusals (protected regions, garbage, silence).
#include <pty.h>
#include <unistd.h>

#include <atomic>
#include <thread>

#include "dfu_support.h"
#include "transport/sim_bus.h"

namespace omv::test::nano_33_ble_test {
namespace {

const std::string kTarget = "ARDUINO_NANO_33_BLE_SENSE";
constexpr size_t kApp = 0x26000;         // flash address of FIRMWARE (bossac offset 0x16000)
constexpr size_t kBootloader = 0xE0000;  // protected bootloader

std::string firmware(size_t size, uint32_t seed) { return random_bytes(size, seed); }

bool have_bossac() { return run({"sh", "-c", "command -v bossac"}).exit_code == 0; }

TEST(Nano33Ble, FlashWritesAboveTheSoftDeviceAndLeavesTheProtectedRegions) {
  SimBus bus;
  bus.start(kTarget, "NANO33");
  const auto before = bus.memory("NANO33", "flash");
  ASSERT_EQ(before.size(), 0x100000u);
  ASSERT_EQ(before.substr(0x1000, 19), "SOFTDEVICE@00001000");  // the fresh board has its SoftDevice
  TempDir files;
  const auto fw = firmware(100 * 1024 + 512, 1);
  write_file(files / "firmware.bin", fw);
  auto r = bus.run({"flash", kTarget, "--firmware", (files / "firmware.bin").string(), "--verify"});
  ASSERT_EQ(r.exit_code, 0) << r.err;

  const auto after = bus.memory("NANO33", "flash");
  EXPECT_EQ(after.substr(kApp, fw.size()), fw);
  EXPECT_TRUE(all_ff(after, kApp + fw.size(), kBootloader - kApp - fw.size()));
  EXPECT_EQ(after.substr(0, kApp), before.substr(0, kApp));                            // MBR + SoftDevice
  EXPECT_EQ(after.substr(kBootloader), before.substr(kBootloader));                    // bootloader
  auto s = bus.stats("NANO33");
  EXPECT_EQ(s["model"]["refused"], 0);
  EXPECT_EQ(s["bits_not_erased"], 0);
  EXPECT_GE(s["generation"].get<int>(), 2);  // reset after the flash: the board re-enumerated
}

TEST(Nano33Ble, ReflashSkipsWhatIsIdenticalAndRewritesFromTheFirstChange) {
  SimBus bus;
  bus.start(kTarget, "NANO33");
  TempDir files;
  auto fw = firmware(64 * 1024, 2);
  write_file(files / "firmware.bin", fw);
  ASSERT_EQ(bus.run({"flash", kTarget, "--firmware", (files / "firmware.bin").string()}).exit_code, 0);
  const auto s1 = bus.stats("NANO33");
  auto again = bus.run({"--json", "flash", kTarget, "--firmware", (files / "firmware.bin").string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  auto s2 = bus.stats("NANO33");
  EXPECT_EQ(s2["bytes_programmed"], s1["bytes_programmed"]) << "an identical image must not be written again";
  EXPECT_NE(again.out.find("\"skipped_bytes\":65536"), std::string::npos) << again.out;

  // Change the last page: only it is erased and written (the bootloader erases to the end).
  fw[fw.size() - 10] ^= 0x5A;
  write_file(files / "firmware.bin", fw);
  auto third = bus.run({"--json", "flash", kTarget, "--firmware", (files / "firmware.bin").string()});
  ASSERT_EQ(third.exit_code, 0) << third.err;
  auto s3 = bus.stats("NANO33");
  EXPECT_EQ(s3["bytes_programmed"].get<uint64_t>() - s2["bytes_programmed"].get<uint64_t>(), 4096u);
  EXPECT_EQ(bus.memory("NANO33", "flash").substr(kApp, fw.size()), fw);
}

TEST(Nano33Ble, ReadAndVerify) {
  SimBus bus;
  bus.start(kTarget, "NANO33");
  TempDir files;
  const auto fw = firmware(20000, 3);
  write_file(files / "firmware.bin", fw);
  ASSERT_EQ(bus.run({"flash", kTarget, "--firmware", (files / "firmware.bin").string()}).exit_code, 0);

  auto rd = bus.run({"read", kTarget, "--partition", "FIRMWARE", "-o", (files / "back.bin").string(), "--length",
                     std::to_string(fw.size())});
  ASSERT_EQ(rd.exit_code, 0) << rd.err;
  EXPECT_EQ(read_file(files / "back.bin"), fw);

  auto ok = bus.run({"verify", kTarget, "--firmware", (files / "firmware.bin").string()});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  // One byte on the board differs from the file: the checksum disagrees, the read names it.
  auto other = fw;
  other[0x1234] ^= 1;
  write_file(files / "other.bin", other);
  auto bad = bus.run({"verify", kTarget, "--firmware", (files / "other.bin").string()});
  EXPECT_EQ(bad.exit_code, 8) << bad.err;
  EXPECT_NE(bad.err.find("0x00027234"), std::string::npos) << bad.err;
}

TEST(Nano33Ble, BossacLeavesTheSameFlashAsOmv) {
  if (!have_bossac()) GTEST_SKIP() << "bossac (Debian package bossa-cli) is not installed";
  SimBus bus;
  bus.start(kTarget, "BYBOSSAC");
  bus.start(kTarget, "BYOMV");
  TempDir files;
  const auto fw = firmware(100 * 1024 + 512, 4);
  write_file(files / "firmware.bin", fw);
  auto b = run({"bossac", "-p", (bus.camera("BYBOSSAC") / "tty").string(), "-U", "-i", "-e", "-w", "-v",
                "--offset=0x16000", (files / "firmware.bin").string(), "-R"});
  ASSERT_EQ(b.exit_code, 0) << b.out << b.err;
  EXPECT_NE(b.out.find("Verify successful"), std::string::npos) << b.out;
  auto o = bus.run({"flash", kTarget, "--serial", "BYOMV", "--firmware", (files / "firmware.bin").string()});
  ASSERT_EQ(o.exit_code, 0) << o.err;

  const auto by_bossac = bus.memory("BYBOSSAC", "flash");
  const auto by_omv = bus.memory("BYOMV", "flash");
  EXPECT_EQ(by_bossac.substr(kApp, fw.size()), fw);
  EXPECT_TRUE(by_bossac == by_omv) << "the two boards differ at "
                                   << std::mismatch(by_bossac.begin(), by_bossac.end(), by_omv.begin()).first -
                                          by_bossac.begin();
  EXPECT_EQ(bus.stats("BYBOSSAC")["model"]["refused"], 0);
}

TEST(Nano33Ble, BossacWithoutTheOffsetIsRefusedByTheBoard) {
  if (!have_bossac()) GTEST_SKIP() << "bossac (Debian package bossa-cli) is not installed";
  SimBus bus;
  bus.start(kTarget, "NANO33");
  const auto before = bus.memory("NANO33", "flash");
  TempDir files;
  write_file(files / "firmware.bin", firmware(8192, 5));
  // Offset 0 is flash 0x10000, inside the SoftDevice: the bootloader refuses to erase it.
  auto b = run({"bossac", "-p", (bus.camera("NANO33") / "tty").string(), "-U", "-e", "-w",
                (files / "firmware.bin").string()});
  EXPECT_NE(b.exit_code, 0) << b.out;
  EXPECT_EQ(bus.memory("NANO33", "flash"), before);
  EXPECT_GE(bus.stats("NANO33")["model"]["refused"].get<int>(), 1);
}

TEST(Nano33Ble, ImagesThatWouldReachProtectedRegionsAreRefusedBeforeAnythingIsSent) {
  SimBus bus;
  bus.start(kTarget, "NANO33");
  const auto before = bus.memory("NANO33", "flash");
  TempDir files;
  // Larger than FIRMWARE (0x26000-0xD0000).
  write_file(files / "big.bin", firmware(0xD0000 - 0x26000 + 4096, 6));
  auto big = bus.run({"flash", kTarget, "--firmware", (files / "big.bin").string()});
  EXPECT_EQ(big.exit_code, 9) << big.err;
  // Straight into the SoftDevice or the bootloader.
  write_file(files / "small.bin", firmware(4096, 7));
  auto sd = bus.run({"flash", kTarget, "--image", "SOFTDEVICE=" + (files / "small.bin").string()});
  EXPECT_EQ(sd.exit_code, 9) << sd.err;
  auto bl = bus.run({"flash", kTarget, "--image", "BOOTLOADER=" + (files / "small.bin").string()});
  EXPECT_EQ(bl.exit_code, 9) << bl.err;
  EXPECT_EQ(bus.memory("NANO33", "flash"), before);
  EXPECT_EQ(bus.stats("NANO33")["bytes_programmed"], 0);
}

// A port that looks like the bootloader's (right USB id) but answers `reply` to everything, or
// nothing: a device record on the bus pointing at a pseudo-terminal this test serves.
class FakePort {
 public:
  FakePort(const std::filesystem::path& bus, std::string reply) : reply_(std::move(reply)) {
    char name[128];
    if (openpty(&master_, &slave_, name, nullptr, nullptr) != 0) throw std::runtime_error("openpty");
    const auto dir = bus / "FAKE";
    std::filesystem::create_directories(dir);
    sim::CameraRecord rec;
    rec.serial = "FAKE";
    rec.target = kTarget;
    rec.mode = "bootloader";
    rec.pid = static_cast<int>(::getpid());
    rec.generation = 1;
    rec.dir = dir;
    transport::UsbDeviceInfo usb;
    usb.id = UsbId{0x2341, 0x805A};
    usb.serial = "FAKE";
    usb.backend_path = "sim:" + dir.string();
    rec.usb = usb;
    write_file(dir / "serial.json", nlohmann::json{{"tty", name}, {"generation", 1}}.dump());
    sim::write_camera(rec);
    thread_ = std::thread([this] {
      char buf[256];
      while (!stop_) {
        const ssize_t n = ::read(master_, buf, sizeof buf);
        if (n <= 0) break;
        if (!reply_.empty() && ::write(master_, reply_.data(), reply_.size()) < 0) break;
      }
    });
  }
  ~FakePort() {
    stop_ = true;
    ::close(slave_);
    ::close(master_);
    thread_.join();
  }

 private:
  std::string reply_;
  int master_ = -1, slave_ = -1;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

TEST(Nano33Ble, APortAnsweringGarbageIsADeviceError) {
  TempDir bus, files;
  FakePort port(bus.path(), std::string("\x13\x37garbage\xff", 10));
  write_file(files / "firmware.bin", firmware(4096, 8));
  auto r = omv({"--sim", bus.path().string(), "flash", kTarget, "--firmware", (files / "firmware.bin").string()});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("unexpected answer"), std::string::npos) << r.err;
}

TEST(Nano33Ble, APortAnsweringNothingTimesOut) {
  TempDir bus, files;
  FakePort port(bus.path(), "");
  write_file(files / "firmware.bin", firmware(4096, 9));
  auto r = omv({"--sim", bus.path().string(), "flash", kTarget, "--firmware", (files / "firmware.bin").string()});
  EXPECT_EQ(r.exit_code, 14) << r.err;
  EXPECT_NE(r.err.find("no answer"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace omv::test::nano_33_ble_test
