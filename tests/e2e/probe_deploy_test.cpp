// The virtual probe (`omv sim start TARGET --probe`): a GDB server over the virtual camera's own
// flash. Debian's gdb-multiarch is its independent client (load through the memory map and
// vFlash*, then compare-sections through qCRC); omv deploy must leave the same bytes, skip what
// the chip already holds (the server's counters), handle every server flavour's quirks, and fail
// cleanly on the probe's faults without touching flash outside the image.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>

#include "dfu_support.h"
#include "support/run.h"
#include "support/sim_bus.h"

namespace omv::test::probe_deploy_test {
namespace {

namespace fs = std::filesystem;

constexpr size_t kFirmwareOffset = 0x40000;  // OPENMV4's FIRMWARE partition in its internal flash
constexpr size_t kSector = 128 * 1024;

std::string endpoint(const SimBus& bus, const std::string& serial) {
  auto j = nlohmann::json::parse(read_file(bus.camera(serial) / "probe.json"));
  return "127.0.0.1:" + std::to_string(j["port"].get<int>());
}

// An ELF with one loadable section holding `bytes` at `address`, made by binutils.
fs::path make_elf(const TempDir& tmp, const std::string& name, const std::string& bytes, uint64_t address) {
  const fs::path bin = tmp / (name + ".bin"), raw = tmp / (name + ".raw.elf"), elf = tmp / (name + ".elf");
  write_file(bin, bytes);
  auto a = run({"arm-none-eabi-objcopy", "-I", "binary", "-O", "elf32-littlearm", "-B", "arm", "--rename-section",
                ".data=.text,alloc,load,contents,code", bin.string(), raw.string()});
  EXPECT_EQ(a.exit_code, 0) << a.err;
  auto b = run({"arm-none-eabi-objcopy", "--change-section-address", ".text=" + std::to_string(address), raw.string(),
                elf.string()});
  EXPECT_EQ(b.exit_code, 0) << b.err;
  return elf;
}

RunResult gdb_batch(const std::string& server, const fs::path& elf, const std::vector<std::string>& commands) {
  std::vector<std::string> argv{"gdb-multiarch", "-q", "-nx", "-batch", "-ex", "set pagination off", "-ex",
                                "target remote " + server};
  for (const auto& c : commands) {
    argv.push_back("-ex");
    argv.push_back(c);
  }
  argv.push_back(elf.string());
  return run(argv);
}

nlohmann::json probe_stats(const SimBus& bus, const std::string& serial) { return bus.stats(serial)["probe"]; }

uint64_t packets(const nlohmann::json& probe, const std::string& name) { return probe["packets"].value(name, uint64_t{0}); }

TEST(ProbeDeploy, GdbMultiarchLoadsThroughTheProbeAndOmvLeavesTheSameBytes) {
  SimBus bus;
  TempDir tmp;
  bus.start("OPENMV4", "GDBLOAD", {"--probe"});
  bus.start("OPENMV4", "OMVDEPLOY", {"--probe"});
  const std::string image = random_bytes(300 * 1024, 7);
  const fs::path elf = make_elf(tmp, "fw", image, 0x08000000 + kFirmwareOffset);

  auto load = gdb_batch(endpoint(bus, "GDBLOAD"), elf, {"load", "compare-sections", "detach"});
  ASSERT_EQ(load.exit_code, 0) << load.out << load.err;
  EXPECT_NE(load.out.find("matched."), std::string::npos) << load.out;
  EXPECT_EQ(load.out.find("MIS-MATCHED"), std::string::npos) << load.out;
  auto after_gdb = probe_stats(bus, "GDBLOAD");
  EXPECT_GT(packets(after_gdb, "vFlashWrite"), 0u);
  EXPECT_EQ(packets(after_gdb, "qCRC"), 1u);  // compare-sections: one per section

  auto deployed = bus.run({"deploy", "OPENMV4", "--gdb", endpoint(bus, "OMVDEPLOY"), "--elf", elf.string()});
  ASSERT_EQ(deployed.exit_code, 0) << deployed.out << deployed.err;
  // Both cameras' flash files hold the same bytes, and the image where it belongs.
  const std::string by_gdb = bus.memory("GDBLOAD", "internal"), by_omv = bus.memory("OMVDEPLOY", "internal");
  EXPECT_TRUE(by_gdb == by_omv);
  EXPECT_EQ(by_omv.substr(kFirmwareOffset, image.size()), image);

  // omv on the camera gdb loaded: every unit compared equal, nothing erased or written.
  auto again = bus.run({"--json", "deploy", "OPENMV4", "--gdb", endpoint(bus, "GDBLOAD"), "--elf", elf.string()});
  ASSERT_EQ(again.exit_code, 0) << again.out << again.err;
  auto after_omv = probe_stats(bus, "GDBLOAD");
  EXPECT_EQ(after_omv["blocks_erased"], after_gdb["blocks_erased"]);
  EXPECT_EQ(packets(after_omv, "vFlashWrite"), packets(after_gdb, "vFlashWrite"));
  EXPECT_NE(again.out.find("\"skipped_bytes\":393216"), std::string::npos) << again.out;  // 3 sectors

  // And gdb agrees with what omv wrote.
  auto check = gdb_batch(endpoint(bus, "OMVDEPLOY"), elf, {"compare-sections", "detach"});
  EXPECT_NE(check.out.find("matched."), std::string::npos) << check.out << check.err;
  EXPECT_EQ(check.out.find("MIS-MATCHED"), std::string::npos) << check.out;
}

TEST(ProbeDeploy, EveryFlavourWritesSkipsAndRewritesOnlyTheChangedSector) {
  TempDir tmp;
  std::string image = random_bytes(5 * kSector / 2, 11);  // 2.5 sectors
  write_file(tmp / "fw.bin", image);
  for (const std::string flavour : {"openocd", "pyocd", "probe-rs", "jlink", "stlink"}) {
    SCOPED_TRACE(flavour);
    SimBus bus;
    bus.start("OPENMV4", "FLAVOUR", {"--probe", "--probe-flavour", flavour});
    const std::string server = endpoint(bus, "FLAVOUR");
    auto first = bus.run({"deploy", "OPENMV4", "--gdb", server, "--firmware", (tmp / "fw.bin").string()});
    ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
    EXPECT_EQ(bus.memory("FLAVOUR", "internal").substr(kFirmwareOffset, image.size()), image);
    auto s1 = probe_stats(bus, "FLAVOUR");
    EXPECT_EQ(s1["blocks_erased"], 3) << s1;
    if (flavour == "pyocd") {
      EXPECT_NE(first.err.find("answered \"QC1\" to qCRC"), std::string::npos) << first.err;
    }
    if (flavour == "jlink") {
      EXPECT_GT(packets(s1, "X"), 0u);  // no memory map: gdb's way is X into flash
      EXPECT_EQ(packets(s1, "vFlashWrite"), 0u);
    }

    auto same = bus.run({"deploy", "OPENMV4", "--gdb", server, "--firmware", (tmp / "fw.bin").string()});
    ASSERT_EQ(same.exit_code, 0) << same.out << same.err;
    auto s2 = probe_stats(bus, "FLAVOUR");
    EXPECT_EQ(s2["blocks_erased"], s1["blocks_erased"]);
    EXPECT_EQ(s2["bytes_programmed"], s1["bytes_programmed"]);
    EXPECT_EQ(packets(s2, "vFlashDone"), packets(s1, "vFlashDone"));  // never a lone vFlashDone (probe-rs)

    image[kSector + 1000] = static_cast<char>(image[kSector + 1000] ^ 0x5A);
    write_file(tmp / "fw.bin", image);
    auto one = bus.run({"deploy", "OPENMV4", "--gdb", server, "--firmware", (tmp / "fw.bin").string()});
    ASSERT_EQ(one.exit_code, 0) << one.out << one.err;
    auto s3 = probe_stats(bus, "FLAVOUR");
    EXPECT_EQ(s3["blocks_erased"].get<int>(), s2["blocks_erased"].get<int>() + 1) << s3;
    EXPECT_EQ(bus.memory("FLAVOUR", "internal").substr(kFirmwareOffset, image.size()), image);
    EXPECT_EQ(bus.stats("FLAVOUR")["bits_not_erased"], 0);
  }
}

TEST(ProbeDeploy, ADroppedConnectionFailsCleanlyAndTheRerunCompletes) {
  SimBus bus;
  TempDir tmp;
  bus.start("OPENMV4", "DROP", {"--probe", "--fault", "probe_drop@200K"});
  const std::string before = bus.memory("DROP", "internal");
  const std::string image = random_bytes(3 * kSector, 12);
  write_file(tmp / "fw.bin", image);
  const std::string server = endpoint(bus, "DROP");
  auto dropped = bus.run({"deploy", "OPENMV4", "--gdb", server, "--firmware", (tmp / "fw.bin").string()});
  EXPECT_EQ(dropped.exit_code, 5) << dropped.out << dropped.err;
  EXPECT_NE(dropped.err.find(server), std::string::npos) << dropped.err;
  // Nothing outside the image's sectors changed.
  const std::string mid = bus.memory("DROP", "internal");
  EXPECT_EQ(mid.substr(0, kFirmwareOffset), before.substr(0, kFirmwareOffset));
  EXPECT_EQ(mid.substr(kFirmwareOffset + image.size()), before.substr(kFirmwareOffset + image.size()));

  auto rerun = bus.run({"deploy", "OPENMV4", "--gdb", server, "--firmware", (tmp / "fw.bin").string()});
  ASSERT_EQ(rerun.exit_code, 0) << rerun.out << rerun.err;
  const std::string after = bus.memory("DROP", "internal");
  EXPECT_EQ(after.substr(kFirmwareOffset, image.size()), image);
  EXPECT_EQ(after.substr(0, kFirmwareOffset), before.substr(0, kFirmwareOffset));
}

TEST(ProbeDeploy, AnErrorReplyAWrongCrcAndASilentServer) {
  SimBus bus;
  TempDir tmp;
  write_file(tmp / "fw.bin", random_bytes(kSector, 13));
  bus.start("OPENMV4", "FAULTS", {"--probe"});
  const std::string server = endpoint(bus, "FAULTS");
  const std::string fw = (tmp / "fw.bin").string();

  ASSERT_EQ(omv({"sim", "fault", "--bus", bus.path(), "--serial", "FAULTS", "probe_error"}).exit_code, 0);
  auto refused = bus.run({"deploy", "OPENMV4", "--gdb", server, "--firmware", fw});
  EXPECT_EQ(refused.exit_code, 6) << refused.out << refused.err;
  EXPECT_NE(refused.err.find("E01"), std::string::npos) << refused.err;

  ASSERT_EQ(omv({"sim", "fault", "--bus", bus.path(), "--serial", "FAULTS", "probe_bad_crc"}).exit_code, 0);
  auto lied = bus.run({"deploy", "OPENMV4", "--gdb", server, "--firmware", fw});
  ASSERT_EQ(lied.exit_code, 0) << lied.out << lied.err;
  EXPECT_NE(lied.err.find("its qCRC is wrong; comparing each unit by reading it"), std::string::npos) << lied.err;
  EXPECT_EQ(bus.memory("FAULTS", "internal").substr(kFirmwareOffset, kSector), read_file(fw));

  ASSERT_EQ(omv({"sim", "fault", "--bus", bus.path(), "--serial", "FAULTS", "probe_silent"}).exit_code, 0);
  auto silent = bus.run({"deploy", "OPENMV4", "--gdb", server, "--firmware", fw});
  EXPECT_EQ(silent.exit_code, 14) << silent.out << silent.err;
  EXPECT_NE(silent.err.find(server), std::string::npos) << silent.err;
}

TEST(ProbeDeploy, JLinkIsResetBeforeTheReadBackSoVerifyReadsTheChipNotItsCache) {
  SimBus bus;
  TempDir tmp;
  write_file(tmp / "fw.bin", random_bytes(kSector + 4096, 15));
  bus.start("OPENMV4", "JLINK", {"--probe", "--probe-flavour", "jlink"});
  auto r = bus.run({"deploy", "OPENMV4", "--gdb", endpoint(bus, "JLINK"), "--firmware", (tmp / "fw.bin").string(), "--verify"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.err.find("was reset before reading back"), std::string::npos) << r.err;
  EXPECT_EQ(probe_stats(bus, "JLINK")["resets"], 2);  // before the read-back, and the final one
  EXPECT_EQ(bus.memory("JLINK", "internal").substr(kFirmwareOffset, kSector + 4096), read_file(tmp / "fw.bin"));
}

TEST(ProbeDeploy, AnImageOverTheBootloaderIsRefusedBeforeAnythingIsErased) {
  SimBus bus;
  TempDir tmp;
  bus.start("OPENMV4", "BOOT", {"--probe"});
  const fs::path elf = make_elf(tmp, "boot", random_bytes(4096, 14), 0x08000000);
  auto r = bus.run({"deploy", "OPENMV4", "--gdb", endpoint(bus, "BOOT"), "--elf", elf.string()});
  EXPECT_EQ(r.exit_code, 9) << r.out << r.err;
  EXPECT_EQ(bus.stats("BOOT")["erases"], 0);
}

TEST(ProbeDeploy, SimListShowsTheProbeAndUnknownFlavoursAreRefused) {
  SimBus bus;
  bus.start("OPENMV4", "LISTED", {"--probe", "--probe-flavour", "probe-rs"});
  auto list = omv({"sim", "list", "--bus", bus.path()});
  EXPECT_NE(list.out.find(endpoint(bus, "LISTED") + " (probe-rs)"), std::string::npos) << list.out;
  auto bad = omv({"sim", "start", "OPENMV4", "--bus", bus.path(), "--serial", "X", "--probe", "--probe-flavour", "gdbserver"});
  EXPECT_EQ(bad.exit_code, 2) << bad.err;
}

}  // namespace
}  // namespace omv::test::probe_deploy_test
