#pragma once
// Where the OpenMV SDK comes from and where it lives: the tarball name and URL, the install
// folder (~/openmv-sdk-<ver>, SDK_DIR overrides), its sdk.version stamp and the PATH entries the
// firmware Makefile puts in front of the user's.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace omv::sdk {

inline constexpr const char* default_base_url = "https://download.openmv.io/sdk";

struct Host {
  std::string os;    // lower-case kernel name: linux, darwin
  std::string arch;  // machine: x86_64, arm64, aarch64
};
Host current_host();

// openmv-sdk-<ver>-<os>-<arch>.tar.xz
std::string tarball_name(const std::string& version, const Host& host);
// <base>/<tarball>; a trailing slash on the base is ignored.
std::string tarball_url(const std::string& base_url, const std::string& version, const Host& host);

// A checkout whose SDK_VERSION says "system" builds with the toolchain already on PATH.
bool is_system_toolchain(const std::string& sdk_version);

// $SDK_DIR when set (and non-empty), else $HOME/openmv-sdk-<version>.
std::filesystem::path sdk_dir_for(const std::string& version);
bool sdk_dir_overridden();

// The stamp's content (trimmed), or nullopt when <dir>/sdk.version does not exist.
std::optional<std::string> read_stamp(const std::filesystem::path& sdk_dir);

struct InstalledSdk {
  std::filesystem::path dir;
  std::string version;  // from its stamp
};
// Every <parent>/openmv-sdk-*/sdk.version, sorted by folder name. Hidden work folders never match.
std::vector<InstalledSdk> installed_sdks(const std::filesystem::path& parent);

// The directories the firmware Makefile (and tools/ci.sh) put in front of PATH, in order.
std::vector<std::filesystem::path> path_dirs(const std::filesystem::path& sdk_dir, const Host& host);
// "<dirs joined by :>:<rest>" (rest may be empty).
std::string prepend_path(const std::vector<std::filesystem::path>& dirs, const std::string& rest);

// The advice the Makefile gives, with omv's fixing command.
std::string mismatch_message(const std::string& installed, const std::string& required);

}  // namespace omv::sdk
