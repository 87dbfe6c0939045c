#include "production/log_path.h"

#include <cstdlib>

#include "core/error.h"

namespace omv::production {

std::filesystem::path default_log_path(const EnvLookup& env) {
  const std::filesystem::path file = "omv/production.sqlite3";
  if (auto xdg = env("XDG_DATA_HOME"); xdg && !xdg->empty() && std::filesystem::path(*xdg).is_absolute())
    return std::filesystem::path(*xdg) / file;
  if (auto home = env("HOME"); home && !home->empty()) return std::filesystem::path(*home) / ".local/share" / file;
  fail(ErrorKind::usage, "no default place for the production log: neither XDG_DATA_HOME nor HOME is set",
       "name the file with --log FILE");
}

std::filesystem::path default_log_path() {
  return default_log_path([](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    return value ? std::optional<std::string>(value) : std::nullopt;
  });
}

}  // namespace omv::production
