// The J-Link and ST-LINK GDB server command lines omv builds from board data, checked with
// stand-in executables that record their arguments (no probe can be attached here).
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <thread>

#include "debug_support.h"
#include "support/run.h"

namespace omv::test::debugloop::debug_servers_test {
namespace {

using nlohmann::json;

// A checkout with the board's config and a debug ELF where the build would leave it.
struct ServerFixture {
  TempDir tmp;
  fs::path checkout = tmp / "checkout";
  fs::path home = tmp / "home";
  fs::path records = tmp / "records";

  ServerFixture(const std::string& target, const std::string& board_config, const std::string& elf_name) {
    fs::create_directories(records);
    fs::create_directories(home);
    write_file(checkout / "SDK_VERSION", "1.6.0\n");
    write_file(checkout / "Makefile", "all:\n");
    write_file(checkout / "boards" / target / "board_config.mk", board_config);
    fs::create_directories(checkout / "build" / target / "bin");
    fs::copy_file(elf_of(built_firmware(), "MPS2_AN500"), checkout / "build" / target / "bin" / elf_name);
  }
  std::map<std::string, std::string> env() const {
    return {{"PATH", stand_ins().string() + ":" + std::getenv("PATH")},
            {"OMV_STANDIN_DIR", records.string()},
            {"HOME", home.string()},
            {"SDK_DIR", ""}};
  }
  RunOptions options() const {
    RunOptions o;
    o.env = env();
    return o;
  }
  json record(const std::string& name) const {
    std::string text = read_file(records / (name + ".json"));
    EXPECT_FALSE(text.empty()) << name << " was not run";
    return text.empty() ? json::object() : json::parse(text);
  }
  // The stand-in gdb: runs instead of arm-none-eabi-gdb / gdb-multiarch.
  std::string gdb() const { return (stand_ins() / "gdb-recorder").string(); }
};

std::string arg_after(const json& argv, const std::string& flag) {
  for (size_t i = 0; i + 1 < argv.size(); ++i)
    if (argv[i] == flag) return argv[i + 1].get<std::string>();
  ADD_FAILURE() << flag << " missing from " << argv.dump();
  return "";
}

bool has_arg(const json& argv, const std::string& flag) {
  for (const auto& a : argv)
    if (a == flag) return true;
  return false;
}

std::string setup_script(const json& gdb_record) {
  for (const auto& [path, text] : gdb_record["files"].items())
    if (path.find("gdb-setup") != std::string::npos) return text.get<std::string>();
  ADD_FAILURE() << "no setup script in " << gdb_record.dump();
  return "";
}

const char* kOpenMv4Config = "MCU=STM32H743xx\nCPU=cortex-m7\nPORT=stm32\nOMV_JLINK_ARGS=--device STM32H743VI\n";
const char* kAe3Config =
    "MCU_SERIES=E7\nCPU=cortex-m55\nPORT=alif\nOMV_JLINK_ARGS=--device AE302F80F55D5_HP\nOMV_DEBUG_ELF=firmware_M55_HP\n";
const char* kN6Config =
    "MCU := STM32N657xx\nCPU := cortex-m55\nPORT := stm32\nOMV_PROG_STLDR := MX25UM51245G_STM32N6570-NUCLEO.stldr\n"
    "OMV_JLINK_ARGS := --device STM32N657L0\nOMV_STLINK_ARGS := --extload $(OMV_PROG_STLDR)\nDEBUGGER ?= STLINK\n";

TEST(DebugServers, OpenMv4RunsJLinkWithItsDeviceOverSwd) {
  ServerFixture s("OPENMV4", kOpenMv4Config, "firmware.elf");
  auto r = omv({"debug", "OPENMV4", "--repo", s.checkout.string(), "--gdb", s.gdb()}, s.options());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json server = s.record("JLinkGDBServer");
  const json& argv = server["argv"];
  EXPECT_EQ(arg_after(argv, "-device"), "STM32H743VI");
  EXPECT_EQ(arg_after(argv, "-if"), "SWD");
  std::string port = arg_after(argv, "-port");
  EXPECT_EQ(std::stoi(arg_after(argv, "-swoport")), std::stoi(port) + 1);
  EXPECT_TRUE(has_arg(argv, "-halt"));
  EXPECT_TRUE(has_arg(argv, "-singlerun"));
  EXPECT_TRUE(has_arg(argv, "-nogui"));
  EXPECT_FALSE(has_arg(argv, "-nohalt"));
  EXPECT_FALSE(process_alive(server["pid"].get<int>())) << "the server was left running";

  json gdb = s.record("gdb-recorder");
  EXPECT_EQ(gdb["argv"].back(), (s.checkout / "build/OPENMV4/bin/firmware.elf").string());
  std::string script = setup_script(gdb);
  EXPECT_NE(script.find("target remote 127.0.0.1:" + port + "\n"), std::string::npos) << script;
  EXPECT_NE(script.find("monitor reset\n"), std::string::npos) << script;
  EXPECT_NE(script.find("tbreak main\ncontinue\n"), std::string::npos) << script;
}

TEST(DebugServers, Ae3AttachesToTheHighPerformanceCore) {
  ServerFixture s("OPENMV_AE3", kAe3Config, "firmware_M55_HP.elf");
  auto r = omv({"debug", "OPENMV_AE3", "--repo", s.checkout.string(), "--gdb", s.gdb()}, s.options());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json argv = s.record("JLinkGDBServer")["argv"];
  EXPECT_EQ(arg_after(argv, "-device"), "AE302F80F55D5_HP");
  EXPECT_EQ(arg_after(argv, "-if"), "SWD");
  EXPECT_TRUE(has_arg(argv, "-nohalt"));  // attach is the default: the AE3 boots from MRAM/OSPI
  json gdb = s.record("gdb-recorder");
  EXPECT_EQ(gdb["argv"].back(), (s.checkout / "build/OPENMV_AE3/bin/firmware_M55_HP.elf").string());
  std::string script = setup_script(gdb);
  EXPECT_EQ(script.find("monitor reset"), std::string::npos) << script;
  EXPECT_EQ(script.find("tbreak main"), std::string::npos) << script;

  // --launch resets it instead.
  r = omv({"debug", "OPENMV_AE3", "--repo", s.checkout.string(), "--gdb", s.gdb(), "--launch"}, s.options());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(has_arg(s.record("JLinkGDBServer")["argv"], "-halt"));
}

TEST(DebugServers, N6RunsStlinkWithTheExternalLoader) {
  ServerFixture s("OPENMV_N6", kN6Config, "firmware.elf");
  fs::path cube = s.home / "openmv-sdk-1.6.0" / "stcubeprog" / "bin";
  fs::path loader = cube / "ExternalLoader" / "MX25UM51245G_STM32N6570-NUCLEO.stldr";
  write_file(loader, "stldr");
  auto r = omv({"debug", "OPENMV_N6", "--repo", s.checkout.string(), "--gdb", s.gdb()}, s.options());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json server = s.record("ST-LINK_gdbserver");
  const json& argv = server["argv"];
  EXPECT_EQ(arg_after(argv, "--extload"), loader.string());
  EXPECT_EQ(arg_after(argv, "--stm32cubeprogrammer-path"), cube.string());
  EXPECT_EQ(arg_after(argv, "--apid"), "1");
  EXPECT_TRUE(has_arg(argv, "--swd"));
  EXPECT_TRUE(has_arg(argv, "--attach"));
  std::string port = arg_after(argv, "--port-number");
  EXPECT_NE(setup_script(s.record("gdb-recorder")).find("target remote 127.0.0.1:" + port), std::string::npos);
  EXPECT_FALSE(process_alive(server["pid"].get<int>()));

  // Without the SDK's loader: which command provides it.
  fs::remove(loader);
  r = omv({"debug", "OPENMV_N6", "--repo", s.checkout.string(), "--gdb", s.gdb()}, s.options());
  EXPECT_EQ(r.exit_code, 13) << r.err;
  EXPECT_NE(r.err.find("MX25UM51245G_STM32N6570-NUCLEO.stldr not found"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("omv sdk install"), std::string::npos) << r.err;
}

TEST(DebugServers, NoGdbLeavesJLinkForAnIdeAndCtrlCStopsIt) {
  ServerFixture s("OPENMV4", kOpenMv4Config, "firmware.elf");
  Background bg({"debug", "OPENMV4", "--repo", s.checkout.string(), "--no-gdb"}, s.env());
  auto ready = bg.await(R"(listening on 127\.0\.0\.1:(\d+))");
  ASSERT_TRUE(ready) << bg.err();
  int pid = s.record("JLinkGDBServer")["pid"].get<int>();
  EXPECT_TRUE(process_alive(pid));
  EXPECT_TRUE(bg.await("connect: ")) << bg.err();  // printed just after the listening line
  bg.signal(SIGINT);
  EXPECT_EQ(bg.wait(), 0) << bg.err();
  EXPECT_FALSE(process_alive(pid));
}

TEST(DebugServers, RttBesideTheDebuggerReadsJLinksRttPortIntoALog) {
  ServerFixture s("OPENMV4", kOpenMv4Config, "firmware.elf");
  Background bg({"debug", "OPENMV4", "--repo", s.checkout.string(), "--no-gdb", "--rtt"}, s.env());
  auto ready = bg.await(R"(listening on 127\.0\.0\.1:(\d+))");
  ASSERT_TRUE(ready) << bg.err();
  const json argv = s.record("JLinkGDBServer")["argv"];
  const int port = std::stoi(arg_after(argv, "-port"));
  EXPECT_EQ(std::stoi(arg_after(argv, "-rtttelnetport")), port + 3);
  const fs::path log = s.checkout / "build/OPENMV4/debug" / ("rtt-" + std::to_string(port) + ".log");
  bool seen = false;
  for (int i = 0; i < 100 && !seen; ++i) {
    seen = fs::exists(log) && read_file(log).find("RTT hello from the target") != std::string::npos;
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  EXPECT_TRUE(seen) << (fs::exists(log) ? read_file(log) : "no " + log.string());
  bg.signal(SIGINT);
  EXPECT_EQ(bg.wait(), 0) << bg.err();
}

TEST(DebugServers, RttBesideTheDebuggerIsRefusedWhereTheServerHasNoRttPort) {
  ServerFixture s("OPENMV_N6", kN6Config, "firmware.elf");
  auto r = omv({"debug", "OPENMV_N6", "--repo", s.checkout.string(), "--rtt"}, s.options());
  EXPECT_EQ(r.exit_code, 15) << r.err;
  EXPECT_NE(r.err.find("ST-LINK_gdbserver has none"), std::string::npos) << r.err;
}

TEST(DebugServers, GdbFailureAndMissingServer) {
  ServerFixture s("OPENMV4", kOpenMv4Config, "firmware.elf");
  auto options = s.options();
  options.env["OMV_STANDIN_GDB_STATUS"] = "3";
  auto r = omv({"debug", "OPENMV4", "--repo", s.checkout.string(), "--gdb", s.gdb()}, options);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  EXPECT_NE(r.err.find("gdb exited with status 3"), std::string::npos) << r.err;

  options = s.options();
  options.env["PATH"] = std::getenv("PATH");
  r = omv({"debug", "OPENMV4", "--repo", s.checkout.string(), "--gdb", s.gdb()}, options);
  EXPECT_EQ(r.exit_code, 13) << r.err;
  EXPECT_NE(r.err.find("segger.com"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace omv::test::debugloop::debug_servers_test
