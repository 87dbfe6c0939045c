#include "build/mpy_cross.h"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "build/process.h"
#include "core/text.h"

namespace omv::build {
namespace fs = std::filesystem;

namespace {

fs::path stamp_path(const fs::path& dir) { return dir / "build" / ".omv-micropython-revision"; }

std::string micropython_revision(const fs::path& micropython) {
  std::error_code ec;
  if (!fs::exists(micropython / ".git", ec)) return {};
  ProcessOptions o;
  o.capture = true;
  o.timeout = std::chrono::seconds(30);
  try {
    auto r = run_process({"git", "-C", micropython.string(), "rev-parse", "HEAD"}, o);
    if (r.exit_code == 0) return std::string(trim(r.output));
  } catch (const std::exception&) {
  }
  return {};
}

}  // namespace

fs::path mpy_cross_binary(const fs::path& dir) {
  std::error_code ec;
  if (fs::exists(dir / "build" / "mpy-cross", ec)) return dir / "build" / "mpy-cross";
  if (fs::exists(dir / "mpy-cross", ec) && fs::is_regular_file(dir / "mpy-cross", ec)) return dir / "mpy-cross";
  return dir / "build" / "mpy-cross";
}

MpyCrossPlan plan_mpy_cross(const fs::path& root) {
  MpyCrossPlan p;
  p.dir = root / "lib" / "micropython" / "mpy-cross";
  std::error_code ec;
  p.exists = fs::is_regular_file(p.dir / "Makefile", ec);
  if (!p.exists) return p;
  p.revision = micropython_revision(root / "lib" / "micropython");
  if (!fs::exists(mpy_cross_binary(p.dir), ec)) {
    p.build = true;
    p.reason = "mpy-cross is not built yet";
    return p;
  }
  std::ifstream in(stamp_path(p.dir));
  std::stringstream s;
  s << in.rdbuf();
  std::string built_from(trim(s.str()));
  if (p.revision.empty()) return p;  // not a git checkout: only "missing" can be told
  if (built_from.empty()) {
    // Built by hand: make decides whether anything is out of date, and we note the revision.
    p.build = true;
    p.reason = "mpy-cross was built outside omv: bringing it up to date";
  } else if (built_from != p.revision) {
    p.build = true;
    p.clean_first = true;
    p.reason = fmt::format("mpy-cross was built from MicroPython {}, the tree is now at {}", built_from.substr(0, 12),
                           p.revision.substr(0, 12));
  }
  return p;
}

void record_mpy_cross(const MpyCrossPlan& plan) {
  if (plan.revision.empty()) return;
  std::error_code ec;
  fs::create_directories(stamp_path(plan.dir).parent_path(), ec);
  std::ofstream out(stamp_path(plan.dir), std::ios::trunc);
  out << plan.revision << "\n";
}

}  // namespace omv::build
