#include "sdk/sdk_status.h"

#include <fmt/format.h>

#include <cstdlib>

#include "core/error.h"
#include "core/text.h"

namespace omv::sdk {
namespace fs = std::filesystem;

SdkStatus sdk_status(const std::string& required) {
  SdkStatus s;
  s.required = required;
  s.system_toolchain = is_system_toolchain(required);
  if (s.system_toolchain) return s;
  s.dir = sdk_dir_for(required);
  s.dir_from_env = sdk_dir_overridden();
  s.installed = read_stamp(s.dir);
  const char* home = std::getenv("HOME");
  fs::path parent = home && *home ? fs::path(home) : s.dir.parent_path();
  for (auto& other : installed_sdks(parent))
    if (other.dir != s.dir) s.others.push_back(other);
  return s;
}

std::string SdkStatus::problem() const {
  if (ok()) return {};
  if (installed) return mismatch_message(*installed, required) + " in " + dir.string();
  if (!others.empty()) {
    std::vector<std::string> versions;
    for (const auto& o : others) versions.push_back(o.version);
    return mismatch_message(join(versions, ", "), required);
  }
  return fmt::format("OpenMV SDK {} not found in {}", required, dir.string());
}

void require_sdk(const SdkStatus& status, const std::string& fix) {
  if (status.ok()) return;
  fail(ErrorKind::missing_tool, status.problem(),
       fmt::format("run '{}' to {}", fix, status.installed || !status.others.empty() ? "update it" : "install it"));
}

}  // namespace omv::sdk
