// omv size: ELFs made here with exact section sizes (assembler .space), so the region totals can
// be computed by hand; flash regions from the board data, RAM regions from the link map.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/run.h"
#include "support/sdk_fixture.h"

namespace omv::test::build_size_test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

class SizeReport : public ::testing::Test {
 protected:
  TempDir tmp;
  fs::path fw = tmp / "fw";
  void SetUp() override {
    fs::copy(fs::path(OMV_SOURCE_DIR) / "tests/fixtures/firmware-tree", fw, fs::copy_options::recursive);
  }
  // Links an ELF whose sections have exactly the given sizes.
  void link(const fs::path& elf, const std::string& flash_origin, unsigned text, unsigned rodata, unsigned data,
            unsigned bss, unsigned dtcm, const fs::path& map = {}) {
    fs::path dir = tmp / ("src-" + elf.stem().string());
    write_file(dir / "sizes.s", ".syntax unified\n"
                                ".section .text,\"ax\",%progbits\n.space " + std::to_string(text) + "\n"
                                ".section .rodata,\"a\",%progbits\n.space " + std::to_string(rodata) + "\n"
                                ".section .data,\"aw\",%progbits\n.space " + std::to_string(data) + ", 1\n"
                                ".section .bss,\"aw\",%nobits\n.space " + std::to_string(bss) + "\n"
                                ".section .dtcm,\"aw\",%nobits\n.space " + std::to_string(dtcm) + "\n");
    write_file(dir / "link.ld",
               "MEMORY {\n  FLASH (rx) : ORIGIN = " + flash_origin + ", LENGTH = 1664K\n"
               "  DTCM (rw) : ORIGIN = 0x20000000, LENGTH = 128K\n"
               "  RAM (xrw) : ORIGIN = 0x24000000, LENGTH = 512K\n}\n"
               "SECTIONS {\n  .text : { *(.text*) *(.rodata*) } > FLASH\n"
               "  .data : { *(.data*) } > RAM AT > FLASH\n"
               "  .bss (NOLOAD) : { *(.bss*) } > RAM\n"
               "  .dtcm (NOLOAD) : { *(.dtcm*) } > DTCM\n}\n");
    fs::create_directories(elf.parent_path());
    std::vector<std::string> argv{"arm-none-eabi-gcc", "-mcpu=cortex-m7", "-mthumb", "-nostdlib", "-nostartfiles",
                                  "-Wl,-e,0", "-T", (dir / "link.ld").string(), (dir / "sizes.s").string(), "-o", elf.string()};
    if (!map.empty()) argv.push_back("-Wl,-Map=" + map.string());
    auto r = run(argv);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  json size_json(const std::string& target) {
    auto r = omv({"size", target, "--json"}, in_dir(fw));
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return json::parse(r.out);
  }
};

json region(const json& elf, const std::string& name) {
  for (const auto& r : elf["regions"])
    if (r["name"] == name) return r;
  ADD_FAILURE() << "no region " << name << " in " << elf.dump();
  return json::object();
}

TEST_F(SizeReport, RegionTotalsMatchTheHandComputedOnes) {
  link(fw / "build/OPENMV4/bin/firmware.elf", "0x08040000", 10000, 2000, 3000, 20000, 4096, fw / "build/OPENMV4/firmware.map");
  auto doc = size_json("OPENMV4");
  ASSERT_EQ(doc["elfs"].size(), 1u);
  auto elf = doc["elfs"][0];
  EXPECT_EQ(elf["elf"], "firmware.elf");
  auto fw_region = region(elf, "FIRMWARE");  // 0x08040000-0x081E0000 in the board data
  EXPECT_EQ(fw_region["kind"], "flash");
  EXPECT_EQ(fw_region["used"], 10000 + 2000 + 3000);  // text + rodata + the stored copy of .data
  EXPECT_EQ(fw_region["size"], 0x1A0000);
  EXPECT_NEAR(fw_region["percent"].get<double>(), 100.0 * 15000 / 0x1A0000, 1e-6);
  auto ram = region(elf, "RAM");  // from the map's Memory Configuration
  EXPECT_EQ(ram["kind"], "ram");
  EXPECT_EQ(ram["used"], 3000 + 20000);
  EXPECT_EQ(ram["size"], 512 * 1024);
  auto dtcm = region(elf, "DTCM");
  EXPECT_EQ(dtcm["used"], 4096);
  EXPECT_EQ(dtcm["size"], 128 * 1024);
  EXPECT_EQ(elf["flash_used"], 15000);
  EXPECT_EQ(elf["ram_used"], 27096);
  EXPECT_EQ(elf["regions"].size(), 3u);

  auto human = omv({"size", "OPENMV4"}, in_dir(fw));
  ASSERT_EQ(human.exit_code, 0) << human.err;
  EXPECT_NE(human.out.find("FIRMWARE"), std::string::npos);
  EXPECT_NE(human.out.find("[#"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("  4.4%"), std::string::npos) << human.out;  // 23000 of 512 KiB
}

TEST_F(SizeReport, WithoutAMapRamIsReportedWithoutASize) {
  link(fw / "build/OPENMV4/bin/firmware.elf", "0x08040000", 4000, 0, 1000, 500, 0);
  auto elf = size_json("OPENMV4")["elfs"][0];
  EXPECT_EQ(region(elf, "FIRMWARE")["used"], 5000);
  auto ram = region(elf, "0x24000000");
  EXPECT_EQ(ram["used"], 1500);
  EXPECT_EQ(ram["size"], nullptr);
}

TEST_F(SizeReport, Ae3ReportsBothCores) {
  link(fw / "build/OPENMV_AE3/bin/firmware_M55_HP.elf", "0x80020000", 7000, 0, 0, 100, 0);
  link(fw / "build/OPENMV_AE3/bin/firmware_M55_HE.elf", "0x80320000", 3000, 0, 0, 100, 0);
  auto doc = size_json("openmv_ae3");
  ASSERT_EQ(doc["elfs"].size(), 2u);
  EXPECT_EQ(doc["elfs"][0]["elf"], "firmware_M55_HE.elf");
  EXPECT_EQ(region(doc["elfs"][0], "HE")["used"], 3000);
  EXPECT_EQ(region(doc["elfs"][0], "HE")["size"], 0x8047E000 - 0x80320000);
  EXPECT_EQ(doc["elfs"][1]["elf"], "firmware_M55_HP.elf");
  EXPECT_EQ(region(doc["elfs"][1], "HP")["used"], 7000);
}

TEST_F(SizeReport, BadInputs) {
  auto none = omv({"size", "OPENMV4"}, in_dir(fw));
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_NE(none.err.find("omv build OPENMV4"), std::string::npos) << none.err;
  write_file(fw / "build/OPENMV4/bin/firmware.elf", "not an elf at all\n");
  auto bad = omv({"size", "OPENMV4"}, in_dir(fw));
  EXPECT_EQ(bad.exit_code, 3);
  EXPECT_NE(bad.err.find("firmware.elf"), std::string::npos) << bad.err;
  EXPECT_EQ(omv({"size", "OPENMV9"}, in_dir(fw)).exit_code, 2);
}

TEST_F(SizeReport, ReadsWhatTheBuildProduced) {
  fs::path home = tmp / "home";
  write_file(home / "openmv-sdk-1.6.0/sdk.version", "1.6.0\n");
  write_executable(home / "openmv-sdk-1.6.0/gcc/bin/arm-none-eabi-gcc",
                   "#!/bin/sh\ncase \"$1\" in -dumpversion|-dumpfullversion) echo 14.3.1; exit 0;; esac\n"
                   "exec /usr/bin/arm-none-eabi-gcc \"$@\"\n");
  RunOptions o = in_dir(fw);
  o.env = {{"HOME", home.string()}, {"SDK_DIR", ""}};
  ASSERT_EQ(omv({"build", "OPENMV4"}, o).exit_code, 0);
  auto r = omv({"size", "OPENMV4", "--json"}, o);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto elf = json::parse(r.out)["elfs"][0];
  EXPECT_GT(region(elf, "FIRMWARE")["used"].get<uint64_t>(), 0u);
}

}  // namespace
}  // namespace omv::test::build_size_test
