#include "sdk/sdk_location.h"

#include <fmt/format.h>
#include <sys/utsname.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "core/text.h"

namespace omv::sdk {
namespace fs = std::filesystem;

Host current_host() {
  utsname u{};
  if (uname(&u) != 0) return {"linux", "x86_64"};
  return {to_lower(u.sysname), u.machine};
}

std::string tarball_name(const std::string& version, const Host& host) {
  return fmt::format("openmv-sdk-{}-{}-{}.tar.xz", version, host.os, host.arch);
}

std::string tarball_url(const std::string& base_url, const std::string& version, const Host& host) {
  std::string base = base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/" + tarball_name(version, host);
}

bool is_system_toolchain(const std::string& sdk_version) {
  return to_lower(trim(sdk_version)).rfind("system", 0) == 0;
}

bool sdk_dir_overridden() {
  const char* dir = std::getenv("SDK_DIR");
  return dir && *dir;
}

fs::path sdk_dir_for(const std::string& version) {
  if (sdk_dir_overridden()) return fs::path(std::getenv("SDK_DIR"));
  const char* home = std::getenv("HOME");
  return fs::path(home && *home ? home : "/") / ("openmv-sdk-" + version);
}

std::optional<std::string> read_stamp(const fs::path& sdk_dir) {
  std::ifstream in(sdk_dir / "sdk.version", std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream s;
  s << in.rdbuf();
  return std::string(trim(s.str()));
}

std::vector<InstalledSdk> installed_sdks(const fs::path& parent) {
  std::vector<InstalledSdk> out;
  std::error_code ec;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
    const auto name = it->path().filename().string();
    if (name.rfind("openmv-sdk-", 0) != 0) continue;
    if (!it->is_directory(ec)) continue;
    if (auto stamp = read_stamp(it->path())) out.push_back({it->path(), *stamp});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.dir < b.dir; });
  return out;
}

std::vector<fs::path> path_dirs(const fs::path& sdk_dir, const Host& host) {
  const char* utilities = host.os == "darwin" ? "macarm" : host.os == "windows" ? "windows" : "linux";
  return {sdk_dir / "gcc" / "bin",        sdk_dir / "llvm" / "bin",
          sdk_dir / "cmake" / "bin",      sdk_dir / "python" / "bin",
          sdk_dir / "stcubeprog" / "bin", sdk_dir / "stedgeai" / "Utilities" / utilities,
          sdk_dir / "bin",                sdk_dir / "make"};
}

std::string prepend_path(const std::vector<fs::path>& dirs, const std::string& rest) {
  std::vector<std::string> parts;
  for (const auto& d : dirs) parts.push_back(d.string());
  if (!rest.empty()) parts.push_back(rest);
  return join(parts, ":");
}

std::string mismatch_message(const std::string& installed, const std::string& required) {
  return fmt::format("OpenMV SDK version mismatch (installed: {}, required: {})", installed, required);
}

}  // namespace omv::sdk
