#pragma once
// Finding the programs of the debug loop: gdb (the SDK's arm-none-eabi-gdb, else the host's),
// qemu-system-arm, SEGGER's and ST's GDB servers and programmers. Each failure names what installs it.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace omv::debug {

// An executable file named `name` in $PATH (or `name` itself when it contains a '/').
std::optional<std::filesystem::path> find_program(const std::string& name);
// The first of `names` found in $PATH, then in each of `dirs`.
std::optional<std::filesystem::path> find_program_in(const std::vector<std::string>& names,
                                                     const std::vector<std::filesystem::path>& dirs);

// The OpenMV SDK for a checkout's SDK_VERSION (sdk::sdk_dir_for: $SDK_DIR when set,
// otherwise ~/openmv-sdk-<version>, as upstream's Makefile has it).
std::filesystem::path sdk_dir(const std::string& sdk_version);
bool sdk_installed(const std::filesystem::path& dir);

struct Tool {
  std::filesystem::path path;
  std::string origin;  // "--gdb", "SDK 1.6.0", "PATH"
};

// gdb for Arm: --gdb PATH, else the SDK's arm-none-eabi-gdb, else arm-none-eabi-gdb or
// gdb-multiarch on PATH. Throws Error{missing_tool} naming the package / command.
Tool find_gdb(const std::string& override_path, const std::string& sdk_version);
// The cross compiler IntelliSense should use (SDK first, then PATH); nullopt if none.
std::optional<Tool> find_arm_gcc(const std::string& sdk_version);

Tool find_qemu();
// JLinkGDBServerCLExe / JLinkGDBServer on PATH or in SEGGER's install folders.
Tool find_jlink_server();
// J-Link Commander, the same way. Its name is JLinkExe on Linux and macOS (JLink.exe is the
// Windows build, which omv does not run on).
Tool find_jlink_commander();
// ST-LINK_gdbserver on PATH or in an STM32CubeCLT install.
Tool find_stlink_server();
// STM32CubeProgrammer's bin folder (holds ExternalLoader/): the SDK's stcubeprog, then one
// next to ST-LINK_gdbserver in STM32CubeCLT, then STM32_Programmer_CLI's folder on PATH.
std::optional<std::filesystem::path> find_cubeprogrammer_bin(const std::string& sdk_version,
                                                             const std::filesystem::path& stlink_server);

// STM32_Programmer_CLI: the SDK's stcubeprog/bin, then $STM32_PRG_PATH (the folder OpenMV IDE
// reads), then PATH. Throws Error{missing_tool} saying where it was looked for.
Tool find_cubeprogrammer_cli(const std::string& sdk_version);

}  // namespace omv::debug
