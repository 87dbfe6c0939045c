// omv build TARGET [options] [-- MAKE ARGS] | omv build --all [TARGET...] | omv build --docker TARGET
#include <fmt/format.h>

#include "build/build_driver.h"
#include "build/docker_build.h"
#include "cli/command.h"
#include "cli/table.h"
#include "core/error.h"
#include "core/numbers.h"
#include "core/text.h"

namespace omv::cli::cmd_build {
namespace {

struct Options {
  std::string target;
  std::vector<std::string> rest;  // make arguments (and, with --all, more TARGETs)
  std::vector<std::string> all_targets;
  CLI::Option* all = nullptr;
  build::BuildOptions build;
  unsigned profile_hash = 0;
  bool docker = false;
  bool no_sdk = false;
  bool allow_old_gcc = false;
};

nlohmann::json files_json(const std::vector<build::OutputFile>& files) {
  nlohmann::json j = nlohmann::json::array();
  for (const auto& f : files) j.push_back({{"file", f.name}, {"size", f.size}, {"purpose", f.purpose}});
  return j;
}

void print_files(const build::BuildOutcome& o, const boards::Checkout& co) {
  std::error_code ec;
  auto shown = std::filesystem::relative(o.bin_dir, co.root, ec);
  fmt::print("\n{} ({})\n", ec ? o.bin_dir.string() : shown.string(), o.target);
  if (o.files.empty()) {
    fmt::print("  (no files)\n");
    return;
  }
  Table t({"FILE", "SIZE", "WHAT IT IS FOR"});
  for (const auto& f : o.files) t.add({f.name, human_size(f.size), f.purpose});
  std::fputs(t.render("  ").c_str(), stdout);
  std::fflush(stdout);
}

bool names_board(const boards::Checkout& co, const std::string& arg) {
  return arg.find('=') == std::string::npos && arg.rfind("-", 0) != 0 && co.board(arg) != nullptr;
}

void build_all(Context& ctx, Options& opt, const boards::Checkout& co) {
  auto reporter = ctx.reporter();
  std::vector<std::string> targets;
  for (const auto& t : opt.all_targets)
    if (!t.empty()) targets.push_back(t);
  // CLI11 puts what follows --all's values into TARGET and the make arguments: sort them out.
  std::vector<std::string> leftovers;
  if (!opt.target.empty()) leftovers.push_back(opt.target);
  leftovers.insert(leftovers.end(), opt.rest.begin(), opt.rest.end());
  for (const auto& a : leftovers) (names_board(co, a) ? targets : opt.build.make_args).push_back(a);
  if (targets.empty())
    for (const auto& b : co.boards) {
      if (b.supported)
        targets.push_back(b.target);
      else
        reporter.info(fmt::format("skipping {}: {}", b.target, b.unsupported_reason));
    }
  build::Builder builder(co, ctx.boards(), reporter, ctx.globals.json);
  // Refuse unknown names before building anything.
  for (const auto& t : targets)
    if (!co.board(t)) builder.resolve(t);
  auto env = builder.environment(opt.no_sdk);
  builder.ensure_mpy_cross(env, opt.build.jobs);

  struct Row {
    std::string target;
    bool ok;
    double seconds;
    std::string detail;
    std::vector<build::OutputFile> files;
  };
  std::vector<Row> rows;
  for (const auto& t : targets) {
    auto started = std::chrono::steady_clock::now();
    try {
      const auto& board = builder.resolve(t);
      builder.check_compiler(board, env, opt.allow_old_gcc);
      auto out = builder.build(board, env, opt.build);
      uint64_t total = 0;
      for (const auto& f : out.files) total += f.size;
      rows.push_back({out.target, true, out.seconds, fmt::format("{} files, {}", out.files.size(), human_size(total)), out.files});
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::interrupted) throw;
      double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      reporter.warn(fmt::format("{}: {}", t, e.what()));
      rows.push_back({co.board(t) ? co.board(t)->target : t, false, secs, e.what(), {}});
    }
  }
  size_t failed = 0;
  nlohmann::json list = nlohmann::json::array();
  Table table({"TARGET", "RESULT", "TIME", "DETAIL"});
  for (const auto& r : rows) {
    failed += r.ok ? 0 : 1;
    table.add({r.target, r.ok ? "ok" : "FAILED", fmt::format("{:.1f} s", r.seconds), r.detail});
    list.push_back({{"target", r.target}, {"ok", r.ok}, {"seconds", r.seconds}, {"detail", r.detail}, {"files", files_json(r.files)}});
  }
  if (!ctx.globals.json) {
    fmt::print("\n");
    std::fputs(table.render().c_str(), stdout);
    std::fflush(stdout);
  }
  reporter.result(fmt::format("{} of {} boards built", rows.size() - failed, rows.size()),
                  {{"builds", list}, {"failed", failed}});
  if (failed)
    fail(ErrorKind::partial, fmt::format("{} of {} boards failed to build", failed, rows.size()),
         "the table above names them; build one alone to see its error: omv build TARGET");
}

void run(Context& ctx, Options& opt) {
  if (opt.profile_hash) opt.build.profile_hash = opt.profile_hash;
  build::validate(opt.build);
  const auto& co = ctx.require_checkout();
  if (opt.all->count() > 0) {
    if (opt.docker) fail(ErrorKind::usage, "--docker builds one TARGET at a time");
    build_all(ctx, opt, co);
    return;
  }
  if (opt.target.empty())
    fail(ErrorKind::usage, "which board? omv build needs a TARGET", "e.g. omv build OPENMV4, or omv build --all");
  for (const auto& a : opt.rest)
    if (names_board(co, a))
      fail(ErrorKind::usage, fmt::format("'{}' looks like a second TARGET", a),
           fmt::format("to build several boards: omv build --all {} {}", opt.target, a));
  opt.build.make_args = opt.rest;
  auto reporter = ctx.reporter();
  build::Builder builder(co, ctx.boards(), reporter, ctx.globals.json);
  const auto& board = builder.resolve(opt.target);
  if (opt.docker) {
    build::docker_build(co, board.target, opt.build, reporter, ctx.globals.json);
    auto bin = build::bin_dir_of(co.root, board.target);
    auto files = build::list_outputs(bin, ctx.boards().find(board.target));
    if (!ctx.globals.json) print_files({board.target, true, 0, bin, files, ""}, co);
    reporter.result(fmt::format("{} built in Docker", board.target),
                    {{"target", board.target}, {"bin_dir", bin.string()}, {"files", files_json(files)}});
    return;
  }
  auto env = builder.environment(opt.no_sdk);
  builder.check_compiler(board, env, opt.allow_old_gcc);
  builder.ensure_mpy_cross(env, opt.build.jobs);
  auto out = builder.build(board, env, opt.build);
  if (!ctx.globals.json) print_files(out, co);
  nlohmann::json data = {{"target", out.target}, {"seconds", out.seconds}, {"bin_dir", out.bin_dir.string()},
                         {"files", files_json(out.files)}};
  if (env.sdk_dir) data["sdk_dir"] = env.sdk_dir->string();
  reporter.result(fmt::format("{} built", out.target), data);
}

void setup(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<Options>();
  auto* cmd = parent.add_subcommand("build", "Build the firmware for a board in a firmware checkout");
  cmd->add_option("TARGET", opt->target, "Board TARGET (a folder under boards/), case-insensitive");
  cmd->add_option("MAKE_ARGS", opt->rest, "Extra make arguments, after --");
  opt->all = cmd->add_option("--all", opt->all_targets, "Build these boards (default: every board), keep going after failures")
                 ->expected(0, -1);
  cmd->add_flag("--debug", opt->build.debug, "DEBUG=1: -Og -ggdb3, the build to debug");
  cmd->add_flag("--verbose", opt->build.verbose, "V=1: show every command");
  cmd->add_flag("--debug-printf", opt->build.debug_printf, "DEBUG_PRINTF=1: low-level debug printf");
  cmd->add_flag("--profile", opt->build.profile, "PROFILE_ENABLE=1: function-call profiling");
  cmd->add_option("--profile-hash", opt->profile_hash, "PROFILE_HASH=N: profiler hash table size (power of two)");
  cmd->add_flag("--profile-irq", opt->build.profile_irq, "PROFILE_IRQ=1: also profile interrupt handlers");
  cmd->add_flag("--stack-protector", opt->build.stack_protector, "STACK_PROTECTOR=1: stack canaries");
  cmd->add_flag("--fb-alloc-stats", opt->build.fb_alloc_stats, "FB_ALLOC_STATS=1: frame-buffer allocator statistics");
  cmd->add_option("--debugger", opt->build.debugger, "DEBUGGER=NAME: JLINK, STLINK, QEMU or NONE");
  cmd->add_option("-j,--jobs", opt->build.jobs, "Parallel jobs (default: the number of cores)");
  cmd->add_flag("--docker", opt->docker, "Build inside upstream's Docker image (docker/Makefile build-firmware-dev)");
  cmd->add_flag("--no-sdk", opt->no_sdk, "Use the toolchain already on PATH instead of the SDK");
  cmd->add_flag("--allow-old-gcc", opt->allow_old_gcc, "Build a Cortex-M55 board even with GCC older than 14.3");
  cmd->callback([&ctx, opt] { run(ctx, *opt); });
}

const Register registered{{"build", "Build a board's firmware (checks TARGET, SDK, compiler, mpy-cross first)", setup, Group::build, 31,
                                    "  omv build OPENMV4\n" "  omv build OPENMV4 --debug\n" "  omv build --all\n"}};

}  // namespace
}  // namespace omv::cli::cmd_build
