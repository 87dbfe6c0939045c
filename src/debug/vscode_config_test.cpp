#include "debug/vscode_config.h"

#include <gtest/gtest.h>

namespace omv::debug {
namespace {

VscodeInputs base(const std::string& server) {
  VscodeInputs in;
  in.target = "OPENMV4";
  in.server = server;
  in.executable = "${workspaceFolder}/build/OPENMV4/bin/firmware.elf";
  in.toolchain_dir = "${env:HOME}/openmv-sdk-1.6.0/gcc/bin";
  in.gdb_path = "${env:HOME}/openmv-sdk-1.6.0/gcc/bin/arm-none-eabi-gdb";
  in.device = "STM32H743VI";
  return in;
}

}  // namespace

TEST(VscodeConfig, JLinkLaunchAndAttach) {
  auto configs = launch_configurations(base("jlink"));
  ASSERT_EQ(configs.size(), 2u);
  const auto& launch = configs[0];
  EXPECT_EQ(launch["name"], "omv OPENMV4 launch");
  EXPECT_EQ(launch["type"], "cortex-debug");
  EXPECT_EQ(launch["request"], "launch");
  EXPECT_EQ(launch["servertype"], "jlink");
  EXPECT_EQ(launch["device"], "STM32H743VI");
  EXPECT_EQ(launch["interface"], "swd");
  EXPECT_EQ(launch["runToEntryPoint"], "main");
  EXPECT_EQ(launch["executable"], "${workspaceFolder}/build/OPENMV4/bin/firmware.elf");
  EXPECT_EQ(launch["armToolchainPath"], "${env:HOME}/openmv-sdk-1.6.0/gcc/bin");
  EXPECT_EQ(launch["gdbPath"], "${env:HOME}/openmv-sdk-1.6.0/gcc/bin/arm-none-eabi-gdb");
  EXPECT_EQ(launch["preLaunchTask"], "omv build OPENMV4 --debug");
  EXPECT_FALSE(launch.contains("svdFile"));
  EXPECT_FALSE(launch.contains("rttConfig"));
  const auto& attach = configs[1];
  EXPECT_EQ(attach["request"], "attach");
  EXPECT_FALSE(attach.contains("preLaunchTask"));
  EXPECT_FALSE(attach.contains("runToEntryPoint"));
}

TEST(VscodeConfig, SvdRttAndAttachFirst) {
  auto in = base("jlink");
  in.svd_file = "${workspaceFolder}/x.svd";
  in.rtt = true;
  in.attach_first = true;
  auto configs = launch_configurations(in);
  EXPECT_EQ(configs[0]["request"], "attach");
  EXPECT_EQ(configs[0]["svdFile"], "${workspaceFolder}/x.svd");
  EXPECT_EQ(configs[1]["rttConfig"]["enabled"], true);
  EXPECT_EQ(configs[1]["rttConfig"]["address"], "auto");
  EXPECT_FALSE(configs[1].contains("swoConfig"));  // no core clock known
}

TEST(VscodeConfig, SwoTakesTheCoreClockAndStepsAsideForRtt) {
  auto in = base("stlink");
  in.core_clock_hz = 800000000;
  auto swo = launch_configurations(in)[0]["swoConfig"];
  EXPECT_EQ(swo["cpuFrequency"], 800000000);
  EXPECT_EQ(swo["enabled"], true);
  EXPECT_EQ(swo["source"], "probe");
  in.server = "jlink";
  in.rtt = true;
  EXPECT_EQ(launch_configurations(in)[0]["swoConfig"]["enabled"], false);
  EXPECT_EQ(launch_configurations(base("qemu"))[0].contains("swoConfig"), false);
}

TEST(VscodeConfig, StlinkCarriesTheExternalLoaderAndAccessPort) {
  auto in = base("stlink");
  in.target = "OPENMV_N6";
  in.device = "STM32N657L0";
  in.cubeprogrammer_dir = "${env:HOME}/openmv-sdk-1.6.0/stcubeprog/bin";
  in.external_loader = "${env:HOME}/openmv-sdk-1.6.0/stcubeprog/bin/ExternalLoader/MX25UM51245G_STM32N6570-NUCLEO.stldr";
  in.access_port = 1;
  auto c = launch_configurations(in)[0];
  EXPECT_EQ(c["servertype"], "stlink");
  EXPECT_EQ(c["stm32cubeprogrammer"], "${env:HOME}/openmv-sdk-1.6.0/stcubeprog/bin");
  EXPECT_EQ(c["serverArgs"], nlohmann::ordered_json::array({"--extload", in.external_loader, "--apid", "1"}));
}

TEST(VscodeConfig, QemuLaunchesTheElfAndAttachesToTheVirtualCamera) {
  auto in = base("qemu");
  in.target = "MPS2_AN500";
  in.qemu_machine = "mps2-an500";
  in.qemu_cpu = "cortex-m7";
  in.omv_global_args = {"--sim", "/tmp/bus"};
  auto configs = launch_configurations(in);
  EXPECT_EQ(configs[0]["servertype"], "qemu");
  EXPECT_EQ(configs[0]["machine"], "mps2-an500");
  EXPECT_EQ(configs[0]["cpu"], "cortex-m7");
  EXPECT_EQ(configs[1]["servertype"], "external");
  EXPECT_EQ(configs[1]["gdbTarget"], "127.0.0.1:3333");
  EXPECT_EQ(configs[1]["preLaunchTask"], "omv debug MPS2_AN500 --no-gdb");
  auto t = tasks(in);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t[0]["label"], "omv build MPS2_AN500 --debug");
  EXPECT_EQ(t[0]["args"], nlohmann::ordered_json::array({"build", "MPS2_AN500", "--debug"}));
  EXPECT_EQ(t[1]["isBackground"], true);
  EXPECT_EQ(t[1]["args"], nlohmann::ordered_json::array(
                              {"--sim", "/tmp/bus", "debug", "MPS2_AN500", "--no-gdb", "--attach", "--port", "3333"}));
}

TEST(VscodeConfig, ExtensionsAndIntelliSense) {
  EXPECT_EQ(recommended_extensions(false), (std::vector<std::string>{"ms-vscode.cpptools", "marus25.cortex-debug"}));
  EXPECT_EQ(recommended_extensions(true).back(), "ms-vscode-remote.remote-wsl");
  auto in = base("jlink");
  in.compiler_path = "/usr/bin/arm-none-eabi-gcc";
  auto c = cpp_configuration(in);
  EXPECT_EQ(c["compilerPath"], "/usr/bin/arm-none-eabi-gcc");
  EXPECT_FALSE(c.contains("compileCommands"));
  in.compile_commands = "${workspaceFolder}/build/OPENMV4/compile_commands.json";
  c = cpp_configuration(in);
  EXPECT_EQ(c["compileCommands"], "${workspaceFolder}/build/OPENMV4/compile_commands.json");
  EXPECT_FALSE(c.contains("includePath"));
}

}  // namespace omv::debug
