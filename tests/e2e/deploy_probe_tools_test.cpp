// omv deploy --probe stlink|jlink against stand-ins of STM32_Programmer_CLI and J-Link Commander
// (no probe can be attached here) that record their command line, J-Link's command file, and a
// copy of every file they are told to write: the argv is checked against upstream's `make deploy`
// line, the command file against a hand-written one, the images byte for byte against the build.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "debug/tools.h"
#include "debug_support.h"
#include "image_support.h"
#include "support/run.h"

namespace omv::test::debugloop::deploy_probe_tools_test {
namespace {

using nlohmann::json;

const char* kStldr = "MX25UM51245G_STM32N6570-NUCLEO.stldr";

// A checkout with the board's build files, a home for the SDK, and a PATH folder holding only
// the stand-ins a test puts there.
struct Bench {
  TempDir tmp;
  fs::path checkout = tmp / "checkout";
  fs::path home = tmp / "home";
  fs::path records = tmp / "records";
  fs::path tools = tmp / "tools";
  fs::path bin;
  std::string firmware, romfs;

  explicit Bench(const std::string& target) {
    fs::create_directories(records);
    fs::create_directories(home);
    fs::create_directories(tools);
    write_file(checkout / "SDK_VERSION", "1.6.0\n");
    write_file(checkout / "Makefile", "all:\n");
    write_file(checkout / "boards" / target / "board_config.mk", "PORT := stm32\n");
    bin = checkout / "build" / target / "bin";
    auto bytes = [](size_t n, uint32_t seed) {
      auto b = pattern(n, seed);
      return std::string(b.begin(), b.end());
    };
    firmware = bytes(150000, 1);
    romfs = bytes(9000, 2);
    write_file(bin / "firmware.bin", firmware);
    write_file(bin / "romfs0.img", romfs);
  }
  fs::path sdk_cube_bin() const { return home / "openmv-sdk-1.6.0" / "stcubeprog" / "bin"; }
  // STM32_Programmer_CLI where the SDK ships it, with the N6's external loader beside it.
  void install_sdk_cubeprogrammer() const {
    fs::create_directories(sdk_cube_bin() / "ExternalLoader");
    fs::create_symlink(stand_ins() / "STM32_Programmer_CLI", sdk_cube_bin() / "STM32_Programmer_CLI");
    write_file(sdk_cube_bin() / "ExternalLoader" / kStldr, "stldr");
  }
  void put_on_path(const std::string& name) const { fs::create_symlink(stand_ins() / name, tools / name); }
  RunOptions options(std::map<std::string, std::string> extra = {}) const {
    RunOptions o;
    o.env = {{"PATH", tools.string() + ":" + std::getenv("PATH")},
             {"OMV_STANDIN_DIR", records.string()},
             {"HOME", home.string()},
             {"SDK_DIR", ""},
             {"STM32_PRG_PATH", ""}};
    for (auto& [k, v] : extra) o.env[k] = v;
    return o;
  }
  RunResult deploy(std::vector<std::string> args, std::map<std::string, std::string> env = {}) const {
    args.insert(args.begin(), "deploy");
    args.insert(args.end(), {"--repo", checkout.string()});
    return omv(args, options(std::move(env)));
  }
  bool ran(const std::string& tool) const { return fs::exists(records / (tool + ".json")); }
  json record(const std::string& tool) const {
    std::string text = fs::exists(records / (tool + ".json")) ? read_file(records / (tool + ".json")) : "";
    EXPECT_FALSE(text.empty()) << tool << " was not run";
    return text.empty() ? json::object() : json::parse(text);
  }
  // What the stand-in was given to write, in order.
  std::string written(const std::string& tool, int n) const {
    return read_file(records / (tool + "-image" + std::to_string(n) + ".bin"));
  }
};

std::string joined(const json& argv) {
  std::string out;
  for (const auto& a : argv) out += (out.empty() ? "" : " ") + a.get<std::string>();
  return out;
}

std::vector<json> events(const std::string& out) {
  std::vector<json> list;
  size_t start = 0;
  while (start < out.size()) {
    size_t end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    auto j = json::parse(out.substr(start, end - start), nullptr, false);
    if (!j.is_discarded()) list.push_back(j);
    start = end + 1;
  }
  return list;
}

TEST(DeployProbeTools, N6RunsUpstreamsDeployLineWithEachBuildFileAtItsAddress) {
  Bench b("OPENMV_N6");
  b.install_sdk_cubeprogrammer();
  auto r = b.deploy({"OPENMV_N6", "--json"});  // stlink is the N6's deploy probe
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  const json rec = b.record("STM32_Programmer_CLI");

  // ports/stm32/port_config.mk:
  //   STM32_Programmer_CLI -c port=SWD mode=HOTPLUG ap=1 -el $(SDK_DIR)/stcubeprog/bin/ExternalLoader/$(OMV_PROG_STLDR)
  //     -w $(FW_DIR)/openmv.bin $(OMV_FIRM_BASE) -hardRst
  // with the bootloader-and-firmware openmv.bin at OMV_FIRM_BASE (0x70000000) replaced by the build
  // files omv deploys: firmware.bin at OMV_FIRM_ADDR (0x70080000), romfs0.img at ROMFS0 (0x70800000).
  const std::string sdk = (b.home / "openmv-sdk-1.6.0").string(), fw_dir = b.bin.string();
  EXPECT_EQ(joined(rec["argv"]), sdk + "/stcubeprog/bin/STM32_Programmer_CLI -c port=SWD mode=HOTPLUG ap=1 -el " + sdk +
                                     "/stcubeprog/bin/ExternalLoader/MX25UM51245G_STM32N6570-NUCLEO.stldr -w " + fw_dir +
                                     "/firmware.bin 0x70080000 -w " + fw_dir + "/romfs0.img 0x70800000 -hardRst");
  EXPECT_EQ(b.written("STM32_Programmer_CLI", 0), b.firmware);
  EXPECT_EQ(b.written("STM32_Programmer_CLI", 1), b.romfs);

  // Its output arrives line by line as events, its progress bars as progress, then the result.
  auto list = events(r.out);
  bool tool_line = false, progress_100 = false;
  json result;
  for (const auto& e : list) {
    if (e["event"] == "info" && e.contains("data") && e["data"].value("tool", "") == "STM32_Programmer_CLI" &&
        e["message"] == "File download complete")
      tool_line = true;
    if (e["event"] == "progress" && e["phase"] == "program" && e["done"] == 100) progress_100 = true;
    if (e["event"] == "result") result = e;
  }
  EXPECT_TRUE(tool_line) << r.out;
  EXPECT_TRUE(progress_100) << r.out;
  ASSERT_FALSE(result.is_null()) << r.out;
  EXPECT_EQ(result["data"]["argv"], rec["argv"]);
  EXPECT_EQ(result["data"]["probe"], "stlink");
  EXPECT_NE(result["message"].get<std::string>().find("firmware.bin at 0x70080000, romfs0.img at 0x70800000"),
            std::string::npos)
      << result.dump();
}

TEST(DeployProbeTools, StlinkSerialVerifyAndNoReset) {
  Bench b("OPENMV_N6");
  b.install_sdk_cubeprogrammer();
  auto r = b.deploy({"OPENMV_N6", "--probe", "stlink", "--serial", "0029001D3234510C33353533", "--verify", "--no-reset"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string sdk = (b.home / "openmv-sdk-1.6.0").string(), fw_dir = b.bin.string();
  EXPECT_EQ(joined(b.record("STM32_Programmer_CLI")["argv"]),
            sdk + "/stcubeprog/bin/STM32_Programmer_CLI -c port=SWD mode=HOTPLUG ap=1 sn=0029001D3234510C33353533 -el " + sdk +
                "/stcubeprog/bin/ExternalLoader/MX25UM51245G_STM32N6570-NUCLEO.stldr -w " + fw_dir + "/firmware.bin 0x70080000 -v -w " +
                fw_dir + "/romfs0.img 0x70800000 -v");
  EXPECT_NE(r.err.find("verified"), std::string::npos) << r.err;
}

TEST(DeployProbeTools, OpenMv4StlinkPassesNoExternalLoader) {
  Bench b("OPENMV4");
  b.put_on_path("STM32_Programmer_CLI");
  auto r = b.deploy({"OPENMV4", "--probe", "stlink"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string fw_dir = b.bin.string();
  EXPECT_EQ(joined(b.record("STM32_Programmer_CLI")["argv"]),
            (b.tools / "STM32_Programmer_CLI").string() + " -c port=SWD mode=HOTPLUG ap=0 -w " + fw_dir +
                "/firmware.bin 0x08040000 -w " + fw_dir + "/romfs0.img 0x081E0000 -hardRst");
  EXPECT_EQ(b.written("STM32_Programmer_CLI", 0), b.firmware);
  EXPECT_EQ(b.written("STM32_Programmer_CLI", 1), b.romfs);
}

TEST(DeployProbeTools, StlinkRefusesExternalFlashWithoutALoader) {
  Bench b("OPENMV4P");  // ROMFS0 is on QSPI; the board data names no external loader
  b.put_on_path("STM32_Programmer_CLI");
  auto r = b.deploy({"OPENMV4P", "--probe", "stlink"});
  EXPECT_EQ(r.exit_code, 9) << r.err;
  EXPECT_NE(r.err.find("romfs0.img goes to qspi at 0x91800000"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--firmware build/OPENMV4P/bin/firmware.bin"), std::string::npos) << r.err;
  EXPECT_FALSE(b.ran("STM32_Programmer_CLI"));
}

TEST(DeployProbeTools, N6WithoutItsExternalLoaderSaysWhereItComesFrom) {
  Bench b("OPENMV_N6");
  b.put_on_path("STM32_Programmer_CLI");  // no SDK: no ExternalLoader folder beside the tool
  auto r = b.deploy({"OPENMV_N6"});
  EXPECT_EQ(r.exit_code, 13) << r.err;
  EXPECT_NE(r.err.find(std::string(kStldr) + " not found"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("omv sdk install"), std::string::npos) << r.err;
  EXPECT_FALSE(b.ran("STM32_Programmer_CLI"));
}

TEST(DeployProbeTools, JLinkRunsItsCommandFileAndRemovesIt) {
  Bench b("OPENMV4");
  b.put_on_path("JLinkExe");
  auto r = b.deploy({"OPENMV4", "--serial", "801012345"});  // jlink is OPENMV4's deploy probe
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json rec = b.record("JLinkExe");
  const json& argv = rec["argv"];
  ASSERT_EQ(argv.size(), 15u) << argv.dump();
  const std::string command_file = argv[14].get<std::string>();
  EXPECT_EQ(joined(argv), (b.tools / "JLinkExe").string() +
                              " -SelectEmuBySN 801012345 -device STM32H743VI -if SWD -speed 4000 -autoconnect 1 -NoGui 1"
                              " -CommandFile " + command_file);
  const std::string fw_dir = b.bin.string();
  EXPECT_EQ(rec["command_file"].get<std::string>(),
            "ExitOnError 1\n"
            "r\n"
            "loadfile \"" + fw_dir + "/firmware.bin\" 0x08040000\n"
            "loadfile \"" + fw_dir + "/romfs0.img\" 0x081E0000\n"
            "r\n"
            "g\n"
            "exit\n");
  EXPECT_EQ(b.written("JLinkExe", 0), b.firmware);
  EXPECT_EQ(b.written("JLinkExe", 1), b.romfs);
  EXPECT_FALSE(fs::exists(command_file)) << "the command file was left behind";
  EXPECT_FALSE(fs::exists(fs::path(command_file).parent_path()));
  EXPECT_NE(r.err.find("written by JLinkExe"), std::string::npos) << r.err;
}

TEST(DeployProbeTools, JLinkLoadsAnElfByItsOwnAddressesAndVerifiesNothingElse) {
  Bench b("OPENMV4");
  b.put_on_path("JLinkExe");
  fs::path elf = make_elf(b.tmp, "fw", kFirmwareC, firmware_ld("0x08040000"));
  auto r = b.deploy({"OPENMV4", "--probe", "jlink", "--elf", elf.string(), "--verify", "--no-reset"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json rec = b.record("JLinkExe");
  EXPECT_EQ(rec["command_file"].get<std::string>(), "ExitOnError 1\nr\nloadfile \"" + elf.string() + "\"\nexit\n");
  EXPECT_EQ(b.written("JLinkExe", 0), read_file(elf));
  EXPECT_NE(r.err.find("an ELF gets no verifybin"), std::string::npos) << r.err;
}

TEST(DeployProbeTools, ToolFailuresEndTheDeployWithTheirErrorLine) {
  Bench b("OPENMV4");
  b.put_on_path("STM32_Programmer_CLI");
  b.put_on_path("JLinkExe");
  auto r = b.deploy({"OPENMV4", "--probe", "stlink"},
                    {{"OMV_STANDIN_SAY", "Error: No debug probe detected."}, {"OMV_STANDIN_STATUS", "1"}});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("STM32_Programmer_CLI failed (exit 1): Error: No debug probe detected."), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("hint: check the ST-LINK"), std::string::npos) << r.err;

  // JLinkExe exits 0 when it cannot reach the target: its output says so.
  r = b.deploy({"OPENMV4", "--probe", "jlink"}, {{"OMV_STANDIN_SAY", "Cannot connect to target."}});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("JLinkExe reported a failure (although it exited 0): Cannot connect to target."), std::string::npos)
      << r.err;
  // With no error line, the last line it printed that is not an echoed command.
  const std::string said = "J-Link connection not established yet but required for command.";
  r = b.deploy({"OPENMV4", "--probe", "jlink"}, {{"OMV_STANDIN_SAY", said}, {"OMV_STANDIN_STATUS", "1"}});
  EXPECT_EQ(r.exit_code, 6) << r.err;
  EXPECT_NE(r.err.find("JLinkExe failed (exit 1): " + said), std::string::npos) << r.err;
}

TEST(DeployProbeTools, MissingToolsSayWhereToGetThem) {
  if (debug::find_program("STM32_Programmer_CLI") || debug::find_program("JLinkExe") || fs::exists("/opt/SEGGER"))
    GTEST_SKIP() << "a real STM32_Programmer_CLI or J-Link installation is on this machine";
  Bench b("OPENMV4");
  auto r = b.deploy({"OPENMV4", "--probe", "stlink"});
  EXPECT_EQ(r.exit_code, 13) << r.err;
  EXPECT_NE(r.err.find("STM32_Programmer_CLI not found"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("hint: install the OpenMV SDK"), std::string::npos) << r.err;
  r = b.deploy({"OPENMV4", "--probe", "jlink"});
  EXPECT_EQ(r.exit_code, 13) << r.err;
  EXPECT_NE(r.err.find("SEGGER J-Link Commander (JLinkExe) not found"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("segger.com/downloads/jlink"), std::string::npos) << r.err;
}

TEST(DeployProbeTools, DryRunPrintsTheCommandAndRunsNothing) {
  Bench b("OPENMV_N6");
  b.install_sdk_cubeprogrammer();
  b.put_on_path("JLinkExe");
  auto r = b.deploy({"OPENMV_N6", "--dry-run"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string sdk = (b.home / "openmv-sdk-1.6.0").string();
  EXPECT_NE(r.err.find("would run: " + sdk + "/stcubeprog/bin/STM32_Programmer_CLI -c port=SWD mode=HOTPLUG ap=1 -el "),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("dry run: would run STM32_Programmer_CLI; nothing was written"), std::string::npos) << r.err;
  EXPECT_FALSE(b.ran("STM32_Programmer_CLI"));

  r = b.deploy({"OPENMV_N6", "--probe", "jlink", "--dry-run", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(b.ran("JLinkExe"));
  json result;
  for (const auto& e : events(r.out))
    if (e["event"] == "result") result = e;
  EXPECT_EQ(result["data"]["dry_run"], true) << r.out;
  EXPECT_EQ(result["data"]["argv"][2], "STM32N657L0") << r.out;
  EXPECT_NE(result["data"]["command_file"].get<std::string>().find("loadfile \"" + b.bin.string() + "/firmware.bin\" 0x70080000\n"),
            std::string::npos)
      << r.out;
}

TEST(DeployProbeTools, UsageErrorsNameTheBoardOrTheOption) {
  Bench b("MPS2_AN500");
  b.put_on_path("JLinkExe");
  auto r = b.deploy({"MPS2_AN500", "--probe", "jlink"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("MPS2_AN500 has no J-Link device in its board data (debug.jlink_device)"), std::string::npos) << r.err;
  EXPECT_FALSE(b.ran("JLinkExe"));

  r = b.deploy({"MPS2_AN500", "--gdb", "127.0.0.1:1", "--serial", "123"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--serial selects the ST-LINK or J-Link for --probe stlink|jlink"), std::string::npos) << r.err;

  r = b.deploy({"OPENMV_RT1060", "--probe", "stlink"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("STM32_Programmer_CLI programs STM32 chips; OPENMV_RT1060 is"), std::string::npos) << r.err;

  r = b.deploy({"OPENMV4", "--probe", "jlink", "--no-skip"});
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_NE(r.err.find("--no-skip goes with --probe gdb"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace omv::test::debugloop::deploy_probe_tools_test
