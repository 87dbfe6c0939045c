#pragma once
// The cross compiler a build will really use, and the Cortex-M55 rule: GCC older than 14.3 has
// known problems with that core, so upstream refuses it (common/check_toolchain.mk).
#include <filesystem>
#include <optional>
#include <string>

namespace omv::build {

struct GccVersion {
  int major = 0;
  int minor = 0;
  int patch = 0;
  std::string text;  // as printed
  bool at_least(int want_major, int want_minor) const {
    return major > want_major || (major == want_major && minor >= want_minor);
  }
};

// "12.2.1" -> {12,2,1}; "14" -> {14,0,0}; nullopt when it does not start with a number.
std::optional<GccVersion> parse_gcc_version(const std::string& text);

// Runs `gcc -dumpfullversion` (then -dumpversion). nullopt when it does not run.
std::optional<GccVersion> query_gcc_version(const std::filesystem::path& gcc);

bool is_cortex_m55(const std::string& cpu);

struct Cm55Check {
  bool ok = true;
  std::optional<std::filesystem::path> gcc;  // the first arm-none-eabi-gcc on the build's PATH
  std::optional<GccVersion> version;
  std::string message;                       // why not ok
  std::string hint;
};

// `path` is the PATH make will get; `sdk_gcc_dir` the SDK's gcc/bin (empty without an SDK).
Cm55Check check_cm55_gcc(const std::string& path, const std::filesystem::path& sdk_gcc_dir, const std::string& target);

}  // namespace omv::build
