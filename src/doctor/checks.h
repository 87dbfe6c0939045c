#pragma once
// omv doctor: what the host has (facts, gathered once) and what that means (checks, a pure
// function of the facts, so every verdict can be tested with made-up hosts).
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "build/toolchain.h"
#include "sdk/sdk_status.h"

namespace omv::doctor {

enum class Status { ok, warning, problem };
const char* to_string(Status status);

struct Check {
  std::string name;     // "sdk", "compiler", "gdb", ...
  Status status = Status::ok;
  std::string message;  // what was found
  std::string fix;      // the command or step that fixes it (empty when ok)
};

struct Tool {
  std::optional<std::filesystem::path> path;
  std::string version;  // first line of --version, or the GCC version
};

struct Facts {
  // Host
  std::string sysname;          // "Linux", "Darwin"
  std::string machine;          // "x86_64", "arm64"
  std::string kernel_release;   // /proc/sys/kernel/osrelease (WSL says "microsoft" here)
  bool wsl_env = false;         // WSL_DISTRO_NAME / WSL_INTEROP set
  bool vhci_hcd = false;        // the kernel's USB/IP client (vhci-hcd) is loaded or built in
  // Checkout and SDK
  std::optional<std::filesystem::path> checkout;
  std::optional<sdk::SdkStatus> sdk;          // for the checkout's SDK_VERSION
  std::vector<sdk::InstalledSdk> installed;   // openmv-sdk-* in $HOME
  // Tools on the user's PATH (not the SDK's, unless the user put it there)
  Tool gcc;                     // arm-none-eabi-gcc
  std::optional<build::GccVersion> gcc_version;
  bool sdk_gcc_exists = false;
  bool sdk_gdb_exists = false;
  Tool gdb_multiarch, arm_gdb, qemu, make, git;
  std::optional<build::GccVersion> make_version;  // GNU make's version (x.y)
  bool docker_found = false;
  bool docker_engine = false;
  std::string docker_detail;
  // Access to devices (Linux)
  bool is_root = false;
  std::vector<std::string> user_groups;
  bool dialout_exists = false;
  std::vector<std::string> udev_rules;  // rule files that mention OpenMV's vendor ID
  bool udev_command = false;            // `omv udev install` exists in this build
  // The N6's recovery helpers (ST's OpenBootloader and external-flash loader), from OpenMV IDE
  std::optional<std::filesystem::path> n6_layout;   // firmware/OPENMV_N6/FlashLayout.tsv
  std::vector<std::string> n6_missing;              // files its Binary column names that are absent
  std::vector<std::string> n6_looked_in;
};

// Looks at this machine. `checkout` as found by the CLI (may be null).
Facts gather(const std::optional<std::filesystem::path>& checkout, const std::string& sdk_version, bool udev_command);

std::vector<Check> evaluate(const Facts& facts);

}  // namespace omv::doctor
