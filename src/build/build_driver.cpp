#include "build/build_driver.h"

#include <fmt/format.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <fstream>

#include "build/mpy_cross.h"
#include "build/process.h"
#include "build/toolchain.h"
#include "core/error.h"
#include "core/numbers.h"
#include "core/text.h"
#include "sdk/sdk_status.h"

namespace omv::build {
namespace fs = std::filesystem;

const boards::CheckoutBoard& Builder::resolve(const std::string& target) const {
  const auto* b = checkout_.board(target);
  if (!b) {
    std::vector<std::string> names;
    for (const auto& cb : checkout_.boards) names.push_back(cb.target);
    auto near = nearest(target, names);
    fail(ErrorKind::usage, fmt::format("unknown TARGET '{}': no boards/{}/board_config.mk in {}", target, target,
                                       checkout_.root.string()),
         near.empty() ? "the TARGETs are the folder names under boards/"
                      : fmt::format("did you mean {}? (the TARGETs are the folder names under boards/)", join(near, ", ")));
  }
  if (!b->supported)
    fail(ErrorKind::unsupported, fmt::format("{} cannot be built: {}", b->target, b->unsupported_reason),
         fmt::format("its {} stops the build on purpose", b->config_file.string()));
  return *b;
}

std::string Builder::cpu_of(const boards::CheckoutBoard& board) const {
  if (const auto* cpu = board.var("CPU")) return *cpu;
  if (const auto* b = db_.find(board.target)) return b->core;
  return {};
}

bool makefile_requires_sdk(const fs::path& root) {
  std::ifstream in(root / "Makefile", std::ios::binary);
  for (std::string line; std::getline(in, line);) {
    line = line.substr(0, line.find('#'));  // comments do not count
    if (line.find("sdk.version") != std::string::npos) return true;
  }
  return false;
}

BuildEnv Builder::environment(bool no_sdk) const {
  BuildEnv env;
  const std::string user_path = current_path_env();
  bool system = no_sdk || sdk::is_system_toolchain(checkout_.sdk_version);
  if (!system) {
    auto status = sdk::sdk_status(checkout_.sdk_version);
    if (!status.ok() && !makefile_requires_sdk(checkout_.root)) {
      reporter_.info(fmt::format("OpenMV SDK {} is not installed and {} does not require it: building with the "
                                 "toolchain on PATH",
                                 checkout_.sdk_version, (checkout_.root / "Makefile").string()));
      system = true;
    }
  }
  if (system) {
    env.path = user_path;
    if (!find_on_path("arm-none-eabi-gcc", env.path))
      fail(ErrorKind::missing_tool, "no arm-none-eabi-gcc on PATH (building without the SDK)",
           "apt install gcc-arm-none-eabi libnewlib-arm-none-eabi, or use the SDK: omv sdk install");
  } else {
    auto status = sdk::sdk_status(checkout_.sdk_version);
    sdk::require_sdk(status, checkout_.root == fs::current_path() ? "omv sdk install"
                                                                 : "omv sdk install --repo " + checkout_.root.string());
    env.sdk_dir = status.dir;
    env.path = sdk::prepend_path(sdk::path_dirs(status.dir, sdk::current_host()), user_path);
    env.vars["SDK_DIR"] = status.dir.string();
  }
  env.vars["PATH"] = env.path;
  if (!find_on_path("make", env.path))
    fail(ErrorKind::missing_tool, "no make on PATH", "apt install make (or build-essential)");
  return env;
}

void Builder::check_compiler(const boards::CheckoutBoard& board, const BuildEnv& env, bool allow_old_gcc) const {
  if (!is_cortex_m55(cpu_of(board))) return;
  auto c = check_cm55_gcc(env.path, env.sdk_dir ? *env.sdk_dir / "gcc" / "bin" : fs::path(), board.target);
  if (c.ok) return;
  if (allow_old_gcc) {
    reporter_.warn(c.message + " (building anyway: --allow-old-gcc)");
    return;
  }
  fail(ErrorKind::missing_tool, c.message, c.hint);
}

namespace {

ProcessOptions make_process(const BuildEnv& env, const fs::path& cwd, bool json) {
  ProcessOptions o;
  o.cwd = cwd;
  o.env = env.vars;
  o.stdout_to_stderr = json;
  // Variables from an outer make would change what the firmware's make does.
  o.unset = {"MAKEFLAGS", "MAKELEVEL", "MFLAGS", "MAKEOVERRIDES"};
  // An empty SDK_DIR means "not set" to omv; passed on, it would defeat the Makefile's `SDK_DIR ?=`.
  const char* sdk_dir = std::getenv("SDK_DIR");
  if (!env.vars.count("SDK_DIR") && sdk_dir && !*sdk_dir) o.unset.push_back("SDK_DIR");
  return o;
}

}  // namespace

void Builder::ensure_mpy_cross(const BuildEnv& env, unsigned jobs) const {
  auto plan = plan_mpy_cross(checkout_.root);
  if (!plan.exists || !plan.build) return;
  reporter_.info(plan.reason);
  auto o = make_process(env, checkout_.root, json_);
  if (plan.clean_first) {
    std::vector<std::string> clean{"make", "-C", plan.dir.string(), "clean"};
    reporter_.info(command_line(clean));
    run_process(clean, o);
  }
  std::vector<std::string> argv{"make", "-C", plan.dir.string(), fmt::format("-j{}", jobs ? jobs : default_jobs())};
  reporter_.begin("mpy-cross", 0, command_line(argv), "");
  auto r = run_process(argv, o);
  if (r.signal == SIGINT) fail(ErrorKind::interrupted, "mpy-cross build interrupted");
  if (r.exit_code != 0)
    fail(ErrorKind::failure, fmt::format("building mpy-cross failed (make exit {})", r.exit_code),
         "see make's output above; mpy-cross needs a host C compiler (apt install build-essential)");
  record_mpy_cross(plan);
  reporter_.end("mpy-cross ready");
}

BuildOutcome Builder::build(const boards::CheckoutBoard& board, const BuildEnv& env, const BuildOptions& options) const {
  BuildOutcome out;
  out.target = board.target;
  std::vector<std::string> argv{"make", fmt::format("-j{}", options.jobs ? options.jobs : default_jobs())};
  for (auto& v : make_variables(board.target, options)) argv.push_back(v);
  for (const auto& a : options.make_args) argv.push_back(a);
  reporter_.begin("build", 0, command_line(argv), "");
  auto started = std::chrono::steady_clock::now();
  auto r = run_process(argv, make_process(env, checkout_.root, json_));
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  if (r.signal == SIGINT) fail(ErrorKind::interrupted, fmt::format("build of {} interrupted", board.target));
  if (r.exit_code != 0)
    fail(ErrorKind::failure, fmt::format("make failed for {} (exit {})", board.target, r.exit_code),
         options.verbose ? "the first error in make's output above is the one to fix"
                         : fmt::format("the first error above is the one to fix; 'omv build {} --verbose' shows the commands",
                                       board.target));
  out.ok = true;
  out.bin_dir = bin_dir_of(checkout_.root, board.target);
  out.files = list_outputs(out.bin_dir, db_.find(board.target));
  reporter_.end(board.target);
  return out;
}

uint64_t clean_target(const fs::path& root, const std::string& target, bool mpy_cross, Reporter& reporter) {
  uint64_t bytes = 0;
  auto remove_tree = [&](const fs::path& dir) {
    std::error_code ec;
    if (!fs::exists(fs::symlink_status(dir, ec))) {
      reporter.info(fmt::format("{}: nothing to clean", dir.string()));
      return;
    }
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
      if (it->is_regular_file(ec)) bytes += it->file_size(ec);
    fs::remove_all(dir, ec);
    if (ec) fail(ErrorKind::io, fmt::format("cannot remove {}: {}", dir.string(), ec.message()));
    reporter.info(fmt::format("removed {}", dir.string()));
  };
  remove_tree(root / "build" / target);
  if (mpy_cross) remove_tree(root / "lib" / "micropython" / "mpy-cross" / "build");
  return bytes;
}

}  // namespace omv::build
