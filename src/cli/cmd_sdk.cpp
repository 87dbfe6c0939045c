// omv sdk install|status|env|path: the pinned OpenMV SDK.
#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <cstdlib>

#include "cli/command.h"
#include "cli/table.h"
#include "core/error.h"
#include "core/numbers.h"
#include "sdk/installer.h"
#include "sdk/sdk_status.h"

namespace omv::cli::cmd_sdk {
namespace {

std::atomic<bool> interrupted{false};

extern "C" void on_signal(int) { interrupted.store(true); }

void catch_interrupts() {
  struct sigaction sa {};
  sa.sa_handler = on_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

struct Options {
  std::string version;
  std::string base_url = sdk::default_base_url;
  std::string from;
  std::string sha256;
  bool insecure = false;
};

// --version, else the checkout's SDK_VERSION. `from` says where it came from.
std::string required_version(Context& ctx, const Options& opt, std::string* from = nullptr) {
  if (!opt.version.empty()) {
    if (from) *from = "--version";
    return opt.version;
  }
  if (const auto* co = ctx.checkout()) {
    if (co->sdk_version.empty())
      fail(ErrorKind::bad_file, fmt::format("{}: empty", (co->root / "SDK_VERSION").string()));
    if (from) *from = (co->root / "SDK_VERSION").string();
    return co->sdk_version;
  }
  fail(ErrorKind::usage, "which SDK version? not inside a firmware checkout",
       "run inside an openmv checkout (its SDK_VERSION pins it), or pass --repo DIR or --version V");
}

void install(Context& ctx, const Options& opt) {
  auto reporter = ctx.reporter();
  std::string from;
  sdk::InstallOptions o;
  o.version = required_version(ctx, opt, &from);
  if (sdk::is_system_toolchain(o.version)) {
    reporter.result(fmt::format("this checkout builds with the toolchain on PATH (SDK_VERSION says '{}'): nothing to install",
                                o.version),
                    {{"installed", false}, {"system_toolchain", true}});
    return;
  }
  o.sdk_dir = sdk::sdk_dir_for(o.version);
  o.base_url = opt.base_url;
  o.insecure = opt.insecure;
  if (!opt.from.empty()) o.from_file = opt.from;
  if (!opt.sha256.empty()) o.sha256 = opt.sha256;
  o.cancel = &interrupted;
  catch_interrupts();
  auto r = sdk::install_sdk(o, reporter);
  nlohmann::json data = {{"version", r.version}, {"dir", r.dir.string()}, {"already_installed", r.already_installed}};
  if (r.already_installed) {
    reporter.result(fmt::format("OpenMV SDK {} already installed in {}", r.version, r.dir.string()), data);
    return;
  }
  data["sha256"] = r.sha256;
  data["source"] = r.source;
  data["tarball_bytes"] = r.tarball_bytes;
  data["resumed_from"] = r.resumed_from;
  data["files"] = r.extracted.files;
  data["bytes"] = r.extracted.bytes;
  reporter.result(fmt::format("OpenMV SDK {} installed in {} ({} files, {}; SHA-256 {} verified)", r.version,
                              r.dir.string(), r.extracted.files, human_size(r.extracted.bytes), r.sha256.substr(0, 16)),
                  data);
}

void status(Context& ctx, const Options& opt) {
  std::string from;
  auto s = sdk::sdk_status(required_version(ctx, opt, &from));
  nlohmann::json others = nlohmann::json::array();
  for (const auto& o : s.others) others.push_back({{"dir", o.dir.string()}, {"version", o.version}});
  if (ctx.globals.json) {
    nlohmann::json j = {{"required", s.required}, {"required_from", from}, {"ok", s.ok()},
                        {"system_toolchain", s.system_toolchain}, {"others", others}};
    if (!s.system_toolchain) {
      j["dir"] = s.dir.string();
      j["dir_from"] = s.dir_from_env ? "SDK_DIR" : "default";
      j["installed"] = s.installed ? nlohmann::json(*s.installed) : nlohmann::json(nullptr);
    }
    if (!s.ok()) {
      j["problem"] = s.problem();
      j["fix"] = "omv sdk install";
    }
    print_json(j);
    return;
  }
  fmt::print("required   {} (from {})\n", s.required, from);
  if (s.system_toolchain) {
    fmt::print("toolchain  the one on PATH (no SDK needed)\n");
    return;
  }
  fmt::print("location   {}{}\n", s.dir.string(), s.dir_from_env ? " (SDK_DIR)" : "");
  fmt::print("installed  {}\n", s.installed ? *s.installed : "no");
  for (const auto& o : s.others) fmt::print("also       {} ({})\n", o.dir.string(), o.version);
  if (s.ok())
    fmt::print("status     ok\n");
  else
    fmt::print("status     {}. Run 'omv sdk install' to {}.\n", s.problem(),
               s.installed || !s.others.empty() ? "update" : "install it");
}

sdk::SdkStatus installed_or_fail(Context& ctx, const Options& opt) {
  auto s = sdk::sdk_status(required_version(ctx, opt));
  if (s.system_toolchain)
    fail(ErrorKind::unsupported, "this checkout builds with the toolchain on PATH (SDK_VERSION says 'system'): no SDK");
  sdk::require_sdk(s, "omv sdk install");
  return s;
}

void env(Context& ctx, const Options& opt) {
  auto s = installed_or_fail(ctx, opt);
  auto dirs = sdk::path_dirs(s.dir, sdk::current_host());
  if (ctx.globals.json) {
    nlohmann::json d = nlohmann::json::array();
    for (const auto& p : dirs) d.push_back(p.string());
    print_json({{"SDK_DIR", s.dir.string()}, {"path", d}});
    return;
  }
  fmt::print("export SDK_DIR=\"{}\"\n", s.dir.string());
  fmt::print("export PATH=\"{}:$PATH\"\n", sdk::prepend_path(dirs, ""));
}

void path(Context& ctx, const Options& opt) {
  auto s = installed_or_fail(ctx, opt);
  if (ctx.globals.json)
    print_json({{"dir", s.dir.string()}, {"version", *s.installed}});
  else
    fmt::print("{}\n", s.dir.string());
}

void setup(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<Options>();
  auto* cmd = parent.add_subcommand("sdk", "Install and inspect the pinned OpenMV SDK");
  cmd->require_subcommand(1);

  auto* inst = cmd->add_subcommand("install", "Download, verify and unpack the SDK the checkout pins (idempotent)");
  inst->add_option("--version", opt->version, "SDK version (default: the checkout's SDK_VERSION)");
  inst->add_option("--from", opt->from, "Install from this local tarball (offline)");
  inst->add_option("--sha256", opt->sha256, "Expected SHA-256 (default: <tarball>.sha256 from the server or beside --from)");
  inst->add_option("--base-url", opt->base_url, "Where the tarballs are")->capture_default_str();
  inst->add_flag("--insecure", opt->insecure, "Do not verify the server's TLS certificate (not recommended)");
  inst->callback([&ctx, opt] { install(ctx, *opt); });

  auto* st = cmd->add_subcommand("status", "Installed SDK versions and the one the checkout needs");
  st->add_option("--version", opt->version, "Required version (default: the checkout's SDK_VERSION)");
  st->callback([&ctx, opt] { status(ctx, *opt); });

  auto* en = cmd->add_subcommand("env", "Shell exports that put the SDK's tools on PATH: eval \"$(omv sdk env)\"");
  en->add_option("--version", opt->version, "SDK version (default: the checkout's SDK_VERSION)");
  en->callback([&ctx, opt] { env(ctx, *opt); });

  auto* pa = cmd->add_subcommand("path", "Print the installed SDK's folder");
  pa->add_option("--version", opt->version, "SDK version (default: the checkout's SDK_VERSION)");
  pa->callback([&ctx, opt] { path(ctx, *opt); });
}

const Register registered{{"sdk", "Install the pinned SDK (verified, resumable, atomic); status, env, path", setup, Group::set_up, 2,
                                    "  omv sdk install\n" "  omv sdk status\n" "  eval \"$(omv sdk env)\"\n"}};

}  // namespace
}  // namespace omv::cli::cmd_sdk
