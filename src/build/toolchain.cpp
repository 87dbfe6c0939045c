#include "build/toolchain.h"

#include <fmt/format.h>

#include <cctype>

#include "build/process.h"
#include "core/text.h"

namespace omv::build {
namespace fs = std::filesystem;

std::optional<GccVersion> parse_gcc_version(const std::string& text) {
  std::string t(trim(text));
  if (t.empty() || !std::isdigit(static_cast<unsigned char>(t[0]))) return std::nullopt;
  GccVersion v;
  v.text = t.substr(0, t.find_first_of(" \r\n"));
  int* fields[3] = {&v.major, &v.minor, &v.patch};
  size_t i = 0;
  for (int f = 0; f < 3 && i < t.size(); ++f) {
    int value = 0;
    bool digits = false;
    while (i < t.size() && std::isdigit(static_cast<unsigned char>(t[i]))) {
      value = value * 10 + (t[i] - '0');
      digits = true;
      ++i;
      if (value > 100000) return std::nullopt;
    }
    if (!digits) break;
    *fields[f] = value;
    if (i < t.size() && t[i] == '.') ++i;
    else break;
  }
  return v;
}

std::optional<GccVersion> query_gcc_version(const fs::path& gcc) {
  for (const char* flag : {"-dumpfullversion", "-dumpversion"}) {
    ProcessOptions o;
    o.capture = true;
    o.timeout = std::chrono::seconds(20);
    try {
      auto r = run_process({gcc.string(), flag}, o);
      if (r.exit_code == 0)
        if (auto v = parse_gcc_version(r.output)) return v;
    } catch (const std::exception&) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

bool is_cortex_m55(const std::string& cpu) { return iequals(trim(cpu), "cortex-m55"); }

Cm55Check check_cm55_gcc(const std::string& path, const fs::path& sdk_gcc_dir, const std::string& target) {
  Cm55Check c;
  c.gcc = find_on_path("arm-none-eabi-gcc", path);
  if (!c.gcc) {
    c.ok = false;
    c.message = fmt::format("no arm-none-eabi-gcc on PATH to build {}", target);
    c.hint = sdk_gcc_dir.empty() ? "install a GCC 14.3+ Arm toolchain, or use the SDK ('omv sdk install')"
                                 : fmt::format("the SDK has no {}: reinstall it with 'omv sdk install'",
                                               (sdk_gcc_dir / "arm-none-eabi-gcc").string());
    return c;
  }
  c.version = query_gcc_version(*c.gcc);
  if (!c.version) {
    c.ok = false;
    c.message = fmt::format("{} does not run (or does not say its version)", c.gcc->string());
    c.hint = "check that toolchain, or remove it from PATH";
    return c;
  }
  if (c.version->at_least(14, 3)) return c;
  c.ok = false;
  c.message = fmt::format("{} is GCC {}; {} has a Cortex-M55, which needs GCC 14.3+ (older ones miscompile it)",
                          c.gcc->string(), c.version->text, target);
  const fs::path sdk_gcc = sdk_gcc_dir / "arm-none-eabi-gcc";
  std::error_code ec;
  if (!sdk_gcc_dir.empty() && !fs::exists(sdk_gcc, ec))
    c.hint = fmt::format("it is used because the SDK has no {}; reinstall the SDK ('omv sdk install')", sdk_gcc.string());
  else if (!sdk_gcc_dir.empty())
    c.hint = fmt::format("{} shadows the SDK's {}: remove {} from PATH", c.gcc->string(), sdk_gcc.string(),
                         c.gcc->parent_path().string());
  else
    c.hint = fmt::format("{} comes first on PATH: build with the SDK (omv sdk install) or put a GCC 14.3+ first",
                         c.gcc->parent_path().string());
  return c;
}

}  // namespace omv::build
