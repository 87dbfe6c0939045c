#include "debug/tools.h"

#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "core/error.h"
#include "sdk/sdk_location.h"

namespace omv::debug {
namespace fs = std::filesystem;
namespace {

bool is_executable(const fs::path& p) {
  std::error_code ec;
  return fs::is_regular_file(p, ec) && access(p.c_str(), X_OK) == 0;
}

// Install folders that carry a version in their name (/opt/st/stm32cubeclt_1.18.0), newest first.
std::vector<fs::path> versioned_dirs(const fs::path& parent, const std::string& prefix) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(parent, ec)) {
    std::string name = e.path().filename().string();
    std::string lower = name;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (lower.rfind(prefix, 0) == 0) out.push_back(e.path());
  }
  std::sort(out.rbegin(), out.rend());
  return out;
}

// A program of SEGGER's J-Link Software Pack: on PATH, else in its install folders.
Tool find_segger_program(const std::vector<std::string>& names, const std::string& what) {
  std::vector<fs::path> dirs = {"/opt/SEGGER/JLink", "/usr/local/SEGGER/JLink", "/Applications/SEGGER/JLink"};
  for (const auto& d : versioned_dirs("/opt/SEGGER", "jlink")) dirs.push_back(d);
  if (auto p = find_program_in(names, dirs)) return {*p, "J-Link"};
  fail(ErrorKind::missing_tool, fmt::format("SEGGER {} ({}) not found", what, fmt::join(names, " / ")),
       fmt::format("install the J-Link Software and Documentation Pack from segger.com/downloads/jlink "
                   "(it installs to /opt/SEGGER/JLink) or put {} on PATH",
                   names.back()));
}

}  // namespace

std::optional<fs::path> find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    if (is_executable(name)) return fs::path(name);
    return std::nullopt;
  }
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  size_t start = 0;
  while (start <= dirs.size()) {
    size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    fs::path dir = end > start ? fs::path(dirs.substr(start, end - start)) : fs::path(".");
    fs::path candidate = dir / name;
    if (is_executable(candidate)) return candidate;
    start = end + 1;
  }
  return std::nullopt;
}

std::optional<fs::path> find_program_in(const std::vector<std::string>& names, const std::vector<fs::path>& dirs) {
  for (const auto& n : names)
    if (auto p = find_program(n)) return p;
  for (const auto& d : dirs)
    for (const auto& n : names)
      if (is_executable(d / n)) return d / n;
  return std::nullopt;
}

fs::path sdk_dir(const std::string& sdk_version) { return sdk::sdk_dir_for(sdk_version); }

bool sdk_installed(const fs::path& dir) {
  std::error_code ec;
  return fs::is_regular_file(dir / "sdk.version", ec) || fs::is_directory(dir / "gcc" / "bin", ec);
}

Tool find_gdb(const std::string& override_path, const std::string& sdk_version) {
  if (!override_path.empty()) {
    if (auto p = find_program(override_path)) return {*p, "--gdb"};
    fail(ErrorKind::missing_tool, fmt::format("--gdb {}: no such executable", override_path),
         "give the path of arm-none-eabi-gdb or gdb-multiarch");
  }
  if (!sdk_version.empty() && !sdk::is_system_toolchain(sdk_version)) {
    fs::path sdk_gdb = sdk_dir(sdk_version) / "gcc" / "bin" / "arm-none-eabi-gdb";
    if (is_executable(sdk_gdb)) return {sdk_gdb, "SDK " + sdk_version};
  }
  if (auto p = find_program("arm-none-eabi-gdb")) return {*p, "PATH"};
  if (auto p = find_program("gdb-multiarch")) return {*p, "PATH"};
  fail(ErrorKind::missing_tool, "no gdb for Arm found (neither the SDK's arm-none-eabi-gdb nor gdb-multiarch)",
       "install one: 'apt-get install gdb-multiarch' (Debian/Ubuntu), or 'omv sdk install' for the SDK's "
       "arm-none-eabi-gdb; or pass --gdb PATH");
}

std::optional<Tool> find_arm_gcc(const std::string& sdk_version) {
  if (!sdk_version.empty() && !sdk::is_system_toolchain(sdk_version)) {
    fs::path gcc = sdk_dir(sdk_version) / "gcc" / "bin" / "arm-none-eabi-gcc";
    if (is_executable(gcc)) return Tool{gcc, "SDK " + sdk_version};
  }
  if (auto p = find_program("arm-none-eabi-gcc")) return Tool{*p, "PATH"};
  return std::nullopt;
}

Tool find_qemu() {
  if (auto p = find_program("qemu-system-arm")) return {*p, "PATH"};
  fail(ErrorKind::missing_tool, "qemu-system-arm not found",
       "install it: 'apt-get install qemu-system-arm' (Debian/Ubuntu), 'brew install qemu' (macOS)");
}

Tool find_jlink_server() { return find_segger_program({"JLinkGDBServerCLExe", "JLinkGDBServer"}, "J-Link GDB server"); }

Tool find_jlink_commander() { return find_segger_program({"JLinkExe"}, "J-Link Commander"); }

Tool find_stlink_server() {
  std::vector<fs::path> dirs;
  for (const auto& clt : versioned_dirs("/opt/st", "stm32cubeclt"))
    dirs.push_back(clt / "STLink-gdb-server" / "bin");
  if (auto p = find_program_in({"ST-LINK_gdbserver"}, dirs)) return {*p, "ST-LINK"};
  fail(ErrorKind::missing_tool, "ST-LINK_gdbserver not found",
       "install STM32CubeCLT from st.com (it provides STLink-gdb-server/bin/ST-LINK_gdbserver under /opt/st) "
       "or put ST-LINK_gdbserver on PATH");
}

std::optional<fs::path> find_cubeprogrammer_bin(const std::string& sdk_version, const fs::path& stlink_server) {
  std::error_code ec;
  if (!sdk_version.empty() && !sdk::is_system_toolchain(sdk_version)) {
    fs::path sdk_bin = sdk_dir(sdk_version) / "stcubeprog" / "bin";
    if (fs::is_directory(sdk_bin, ec)) return sdk_bin;
  }
  // STM32CubeCLT: <clt>/STLink-gdb-server/bin/ST-LINK_gdbserver and <clt>/STM32CubeProgrammer/bin.
  fs::path clt_bin = stlink_server.parent_path().parent_path().parent_path() / "STM32CubeProgrammer" / "bin";
  if (fs::is_directory(clt_bin, ec)) return clt_bin;
  if (auto cli = find_program("STM32_Programmer_CLI")) {
    fs::path real = fs::canonical(*cli, ec);
    return (ec ? *cli : real).parent_path();
  }
  return std::nullopt;
}

Tool find_cubeprogrammer_cli(const std::string& sdk_version) {
  std::vector<std::string> looked;
  if (!sdk_version.empty() && !sdk::is_system_toolchain(sdk_version)) {
    fs::path p = sdk_dir(sdk_version) / "stcubeprog" / "bin" / "STM32_Programmer_CLI";
    if (is_executable(p)) return {p, "SDK " + sdk_version};
    looked.push_back(p.parent_path().string());
  }
  if (const char* env = std::getenv("STM32_PRG_PATH"); env && *env) {
    fs::path p = fs::path(env) / "STM32_Programmer_CLI";
    if (is_executable(p)) return {p, "STM32_PRG_PATH"};
    looked.push_back(std::string("$STM32_PRG_PATH=") + env);
  }
  if (auto p = find_program("STM32_Programmer_CLI")) return {*p, "PATH"};
  looked.push_back("PATH");
  fail(ErrorKind::missing_tool, fmt::format("STM32_Programmer_CLI not found (looked in {})", fmt::join(looked, ", ")),
       "install the OpenMV SDK ('omv sdk install'; it ships stcubeprog) or STM32CubeProgrammer from st.com, or set "
       "STM32_PRG_PATH to its bin folder");
}

}  // namespace omv::debug
