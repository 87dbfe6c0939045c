// Faults and bad input: a one-line error, the documented exit code, nothing written outside the
// partition being flashed, the bootloader never touched, and a re-run completes the flash.
#include "dfu_support.h"

namespace omv::test::dfu_fault_test {
namespace {

constexpr size_t kFw = 0x40000;  // OPENMV4 FIRMWARE in internal.bin
constexpr size_t kFwEnd = 0x1E0000;

size_t lines(const std::string& s) { return static_cast<size_t>(std::count(s.begin(), s.end(), '\n')); }

struct FaultCase {
  const char* fault;
  int exit_code;
  const char* words;
};

class DfuFault : public ::testing::TestWithParam<FaultCase> {};

TEST_P(DfuFault, OneLineErrorNothingOutsideThePartitionAndARerunCompletes) {
  const auto& fc = GetParam();
  SimBus bus;
  bus.start("OPENMV4", "H7", {"--fault", fc.fault});
  TempDir files;
  auto fw = random_bytes(3 * 128 * 1024, 21);
  write_file(files / "firmware.bin", fw);
  auto r = bus.run({"flash", "--no-reset", "OPENMV4", "--firmware", (files / "firmware.bin").string()});
  EXPECT_EQ(r.exit_code, fc.exit_code) << r.err;
  ASSERT_NE(r.err.find("omv: error: "), std::string::npos) << r.err;
  auto error_line = r.err.substr(r.err.find("omv: error: "));
  EXPECT_LE(lines(error_line), 2u) << error_line;  // the message, and at most a hint
  EXPECT_NE(error_line.find(fc.words), std::string::npos) << error_line;

  auto mem = bus.memory("H7", "internal");
  EXPECT_TRUE(all_ff(mem, 0, kFw)) << "bootloader or filesystem touched";
  EXPECT_TRUE(all_ff(mem, kFwEnd, 0x20000)) << "ROMFS0 touched";

  auto again = bus.run({"flash", "--no-reset", "OPENMV4", "--firmware", (files / "firmware.bin").string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(bus.memory("H7", "internal").substr(kFw, fw.size()), fw);
  EXPECT_EQ(bus.stats("H7")["faults"][0]["fired"], true);
}

INSTANTIATE_TEST_SUITE_P(Faults, DfuFault,
                         ::testing::Values(FaultCase{"disconnect@130K", 5, "vanished"},
                                           FaultCase{"stall@140K", 6, "errSTALLEDPKT"},
                                           FaultCase{"err_write@200K", 6, "errWRITE"}));

TEST(DfuFaults, StuckInDnbusyIsATimeoutAndTheRerunRecovers) {
  SimBus bus;
  // MPS2_AN500's erase figures are small, so the write's budget runs out quickly.
  bus.start("MPS2_AN500", "QEMU", {"--fault", "busy_forever@8K"});
  TempDir files;
  auto fw = random_bytes(64 * 1024, 22);
  write_file(files / "firmware.bin", fw);
  auto r = bus.run({"flash", "--no-reset", "MPS2_AN500", "--firmware", (files / "firmware.bin").string()});
  EXPECT_EQ(r.exit_code, 14) << r.err;
  EXPECT_NE(r.err.find("dfuDNBUSY"), std::string::npos) << r.err;
  auto again = bus.run({"flash", "--no-reset", "MPS2_AN500", "--firmware", (files / "firmware.bin").string()});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(bus.memory("QEMU", "code").substr(0, fw.size()), fw);
}

TEST(DfuFaults, AnotherBoardThanAskedIsNotWritten) {
  SimBus bus;
  bus.start("OPENMV4P", "PLUS");
  TempDir files;
  write_file(files / "firmware.bin", random_bytes(8192, 23));
  auto before = bus.memory("PLUS", "internal");
  auto r = bus.run({"flash", "--no-reset", "OPENMV4", "--firmware", (files / "firmware.bin").string()});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("37C5:924A"), std::string::npos) << r.err;  // says what it found instead
  auto s = bus.run({"flash", "--no-reset", "OPENMV4", "--serial", "PLUS", "--firmware", (files / "firmware.bin").string()});
  EXPECT_EQ(s.exit_code, 9) << s.err;
  EXPECT_EQ(bus.memory("PLUS", "internal"), before);
  EXPECT_EQ(bus.stats("PLUS")["bytes_programmed"], 0);
}

TEST(DfuFaults, AlteredAltNamesAreRefused) {
  // A board file whose partitions do not match what the device reports.
  SimBus bus;
  bus.start("OPENMV4", "H7");
  TempDir boards;
  auto j = nlohmann::json::parse(read_file(std::filesystem::path(OMV_SOURCE_DIR) / "boards" / "OPENMV4.json"));
  j["partitions"][2]["name"] = "APP";
  j["files"][0]["partition"] = "APP";
  write_file(boards / "OPENMV4.json", j.dump(2));
  TempDir files;
  write_file(files / "firmware.bin", random_bytes(8192, 24));
  auto r = bus.run({"--boards", boards.path().string(), "flash", "--no-reset", "OPENMV4", "--firmware", (files / "firmware.bin").string()});
  EXPECT_EQ(r.exit_code, 9) << r.err;
  EXPECT_EQ(bus.stats("H7")["bytes_programmed"], 0);
}

TEST(DfuFaults, BadImagesAreRefusedBeforeAnythingIsWritten) {
  SimBus bus;
  bus.start("OPENMV4", "H7");
  TempDir files;
  write_file(files / "big.bin", random_bytes(0x1A0000 + 1, 25));  // FIRMWARE is 0x1A0000
  write_file(files / "small.bin", random_bytes(4096, 26));
  auto big = bus.run({"flash", "--no-reset", "OPENMV4", "--firmware", (files / "big.bin").string()});
  EXPECT_EQ(big.exit_code, 9) << big.err;
  auto ro = bus.run({"flash", "--no-reset", "OPENMV4", "--image", "BOOTLOADER=" + (files / "small.bin").string()});
  EXPECT_EQ(ro.exit_code, 9) << ro.err;
  EXPECT_NE(ro.err.find("read-only"), std::string::npos);
  auto missing = bus.run({"flash", "--no-reset", "OPENMV4", "--firmware", (files / "nope.bin").string()});
  EXPECT_EQ(missing.exit_code, 10) << missing.err;
  auto part = bus.run({"flash", "--no-reset", "OPENMV4", "--image", "NOPE=" + (files / "small.bin").string()});
  EXPECT_EQ(part.exit_code, 2) << part.err;
  EXPECT_EQ(bus.stats("H7")["bytes_programmed"], 0);
  EXPECT_EQ(bus.stats("H7")["erases"], 0);
}

TEST(DfuFaults, VerifyNamesTheFirstDifferingAddress) {
  SimBus bus;
  bus.start("OPENMV4", "H7");
  TempDir files;
  auto fw = random_bytes(64 * 1024, 27);
  write_file(files / "firmware.bin", fw);
  ASSERT_EQ(bus.run({"flash", "--no-reset", "OPENMV4", "--firmware", (files / "firmware.bin").string()}).exit_code, 0);
  fw[0x1234] = static_cast<char>(fw[0x1234] ^ 0x7F);
  write_file(files / "other.bin", fw);
  auto r = bus.run({"verify", "OPENMV4", "--firmware", (files / "other.bin").string()});
  EXPECT_EQ(r.exit_code, 8) << r.err;
  EXPECT_NE(r.err.find("0x08041234"), std::string::npos) << r.err;
}

TEST(DfuFaults, NoCameraSaysWhatWasFound) {
  SimBus bus;
  TempDir files;
  write_file(files / "firmware.bin", random_bytes(4096, 28));
  auto r = bus.run({"flash", "--no-reset", "OPENMV4", "--firmware", (files / "firmware.bin").string()});
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("no USB devices"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace omv::test::dfu_fault_test
