#pragma once
// The VS Code files for Cortex-Debug, as JSON values (no I/O): a launch and an attach
// configuration, the build task they use, recommended extensions and IntelliSense settings.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "boards/board.h"

namespace omv::debug {

// Everything generation needs, resolved by the caller (paths may use ${workspaceFolder} or
// ${env:HOME}).
struct VscodeInputs {
  std::string target;
  std::string server;                 // jlink | stlink | qemu
  std::string executable;             // "${workspaceFolder}/build/<T>/bin/firmware.elf"
  std::string toolchain_dir;          // armToolchainPath (holds arm-none-eabi-objdump, nm)
  std::string gdb_path;               // gdbPath
  std::string compiler_path;          // IntelliSense compilerPath; empty if unknown
  std::optional<std::string> compile_commands;  // compile_commands.json, when one exists
  std::optional<std::string> svd_file;          // only a file known to exist
  bool rtt = false;                   // the ELF has a SEGGER RTT control block (DEBUG_PRINTF=1)
  std::optional<uint64_t> core_clock_hz;  // board_config.mk's CPU_FREQ_HZ: SWO's baud derives from it
  bool attach_first = false;          // attach is the default (external-flash boards)
  bool wsl = false;                   // running under WSL: recommend its extension too
  // J-Link / ST-LINK
  std::string device;
  std::string cubeprogrammer_dir;     // ST-LINK: STM32CubeProgrammer's bin folder
  std::string external_loader;        // ST-LINK: full .stldr path
  int access_port = 0;
  // QEMU
  std::string qemu_machine;
  std::string qemu_cpu;
  uint16_t qemu_port = 3333;
  // How tasks run omv.
  std::string omv_command = "omv";
  std::vector<std::string> omv_global_args;  // e.g. --sim BUS for the virtual camera
};

std::string launch_name(const std::string& target);
std::string attach_name(const std::string& target);
std::string build_task_label(const std::string& target);
std::string serve_task_label(const std::string& target);

// launch.json "configurations" entries, the default first.
std::vector<nlohmann::ordered_json> launch_configurations(const VscodeInputs& in);
// tasks.json "tasks" entries.
std::vector<nlohmann::ordered_json> tasks(const VscodeInputs& in);
// extensions.json "recommendations".
std::vector<std::string> recommended_extensions(bool wsl);
// c_cpp_properties.json "configurations" entry.
nlohmann::ordered_json cpp_configuration(const VscodeInputs& in);

}  // namespace omv::debug
