#include "debug/vscode.h"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>

#include "core/error.h"
#include "core/numbers.h"
#include "core/text.h"
#include "debug/debug_settings.h"
#include "debug/elf_file.h"
#include "debug/tools.h"
#include "debug/vscode_config.h"
#include "debug/vscode_merge.h"

namespace omv::debug {
namespace fs = std::filesystem;
using ojson = nlohmann::ordered_json;

namespace {

std::optional<std::string> read_if_exists(const fs::path& p) {
  std::error_code ec;
  if (!fs::exists(p, ec)) return std::nullopt;
  std::ifstream in(p, std::ios::binary);
  if (!in) fail(ErrorKind::io, fmt::format("{}: cannot read", p.string()));
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_atomically(const fs::path& p, const std::string& text) {
  std::error_code ec;
  fs::create_directories(p.parent_path(), ec);
  if (ec) fail(ErrorKind::io, fmt::format("{}: cannot create: {}", p.parent_path().string(), ec.message()));
  fs::path tmp = p;
  tmp += fmt::format(".omv-{}.tmp", getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    out << text;
    out.flush();
    if (!out) fail(ErrorKind::io, fmt::format("{}: cannot write", tmp.string()));
  }
  fs::rename(tmp, p, ec);
  if (ec) fail(ErrorKind::io, fmt::format("{}: cannot replace: {}", p.string(), ec.message()));
}

std::string home() {
  const char* h = std::getenv("HOME");
  return h ? h : "";
}

// The debugged core's clock from the checkout's board_config.mk (the AE3's high-performance M55
// has its own variable).
std::optional<uint64_t> core_clock_hz(const boards::Checkout& checkout, const boards::Board& board) {
  const auto* cb = checkout.board(board.target);
  if (!cb) return std::nullopt;
  for (const char* name : {"CPU_FREQ_HZ", "M55_HP_CPU_FREQ_HZ"})
    if (const auto* value = cb->var(name))
      if (auto hz = parse_u64(*value)) return hz;
  return std::nullopt;
}

// A path for VS Code: ${workspaceFolder}/... inside the checkout, ${env:HOME}/... under $HOME.
std::string vscode_path(const fs::path& p, const fs::path& workspace) {
  fs::path norm = p.lexically_normal();
  auto rel = norm.lexically_relative(workspace.lexically_normal());
  if (!rel.empty() && rel.native().rfind("..", 0) != 0) return "${workspaceFolder}/" + rel.generic_string();
  std::string h = home();
  if (!h.empty()) {
    auto hrel = norm.lexically_relative(fs::path(h).lexically_normal());
    if (!hrel.empty() && hrel.native().rfind("..", 0) != 0) return "${env:HOME}/" + hrel.generic_string();
  }
  return norm.generic_string();
}

bool running_under_wsl() {
  if (const char* d = std::getenv("WSL_DISTRO_NAME"); d && *d) return true;
  std::ifstream in("/proc/sys/kernel/osrelease");
  std::string release;
  std::getline(in, release);
  return to_lower(release).find("microsoft") != std::string::npos;
}

std::optional<std::string> resolve_svd(const boards::Board& board, const boards::Checkout& checkout,
                                       const VscodeRequest& req, const fs::path& svd_dir, Reporter& r) {
  std::error_code ec;
  if (!req.svd.empty()) {
    fs::path svd = fs::absolute(req.svd);
    if (!fs::is_regular_file(svd, ec)) fail(ErrorKind::io, fmt::format("--svd {}: no such file", req.svd.string()));
    return vscode_path(svd, checkout.root);
  }
  if (board.debug.svd.empty()) return std::nullopt;
  // Vendored in the firmware checkout (the Alif SVDs are).
  auto vendored = board.loader.find("svd_dir");
  if (vendored != board.loader.end()) {
    fs::path svd = checkout.root / vendored->second / board.debug.svd;
    if (fs::is_regular_file(svd, ec)) return vscode_path(svd, checkout.root);
  }
  if (!svd_dir.empty()) {
    fs::path svd = svd_dir / board.debug.svd;
    if (fs::is_regular_file(svd, ec)) return vscode_path(svd, checkout.root);
    r.info(fmt::format("no {} in the SVD folder {}: no svdFile", board.debug.svd, svd_dir.string()));
    return std::nullopt;
  }
  r.info(fmt::format("no svdFile: {} is not in this checkout; pass --svd FILE, or --svd-dir DIR once for a folder of "
                     "SVD files (ST/NXP CMSIS packs, the Cortex-Debug SVD registry)",
                     board.debug.svd));
  return std::nullopt;
}

void remember_svd_dir(const fs::path& dir, Reporter& r) {
  fs::path cfg = config_file();
  ojson doc = ojson::object();
  if (auto text = read_if_exists(cfg)) {
    doc = ojson::parse(*text, nullptr, false);
    if (doc.is_discarded() || !doc.is_object())
      fail(ErrorKind::bad_file, fmt::format("{}: not a JSON object", cfg.string()), "fix or remove omv's config file");
  }
  doc["svd_dir"] = dir.string();
  write_atomically(cfg, doc.dump(2) + "\n");
  r.info(fmt::format("remembered the SVD folder {} in {}", dir.string(), cfg.string()));
}

struct Tools {
  std::string toolchain_dir, gdb_path, compiler_path;
  std::string sdk_root;  // for ST's programmer and loaders
};

Tools resolve_tools(const boards::Checkout& checkout, Reporter& r) {
  fs::path sdk = sdk_dir(checkout.sdk_version);
  Tools t;
  t.sdk_root = vscode_path(sdk, checkout.root);
  std::string sdk_bin = vscode_path(sdk / "gcc" / "bin", checkout.root);
  if (sdk_installed(sdk)) {
    t.toolchain_dir = sdk_bin;
    t.gdb_path = sdk_bin + "/arm-none-eabi-gdb";
    t.compiler_path = sdk_bin + "/arm-none-eabi-gcc";
    return t;
  }
  auto gdb = find_program("arm-none-eabi-gdb");
  if (!gdb) gdb = find_program("gdb-multiarch");
  auto objdump = find_program("arm-none-eabi-objdump");
  auto gcc = find_program("arm-none-eabi-gcc");
  if (gdb && objdump) {
    t.toolchain_dir = objdump->parent_path().string();
    t.gdb_path = gdb->string();
    t.compiler_path = gcc ? gcc->string() : "";
    r.info(fmt::format("the OpenMV SDK {} is not installed ({}): using the host's {} and {}", checkout.sdk_version,
                       sdk.string(), gdb->string(), t.toolchain_dir));
    return t;
  }
  t.toolchain_dir = sdk_bin;
  t.gdb_path = sdk_bin + "/arm-none-eabi-gdb";
  t.compiler_path = sdk_bin + "/arm-none-eabi-gcc";
  r.warn(fmt::format("the OpenMV SDK {} is not installed at {} and the host has no Arm gdb: Cortex-Debug will report "
                     "\"GDB executable not found\" until you run 'omv sdk install' (or 'make sdk'), or "
                     "'apt-get install gdb-multiarch binutils-arm-none-eabi'",
                     checkout.sdk_version, sdk.string()));
  return t;
}

}  // namespace

fs::path config_file() {
  if (const char* x = std::getenv("XDG_CONFIG_HOME"); x && *x) return fs::path(x) / "omv" / "config.json";
  return fs::path(home()) / ".config" / "omv" / "config.json";
}

fs::path configured_svd_dir() {
  if (const char* d = std::getenv("OMV_SVD_DIR"); d && *d) return d;
  auto text = read_if_exists(config_file());
  if (!text) return {};
  auto doc = nlohmann::json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("svd_dir") || !doc["svd_dir"].is_string()) return {};
  return doc["svd_dir"].get<std::string>();
}

std::vector<VscodeFileResult> write_vscode_files(const boards::Board& board, const boards::Checkout& checkout,
                                                 const VscodeRequest& req, Reporter& r) {
  const fs::path& root = checkout.root;
  DebugSettings settings = debug_settings(board, &checkout, req.server);
  const std::string& server = settings.server;
  std::error_code ec;

  fs::path svd_dir = req.svd_dir;
  if (!svd_dir.empty()) {
    svd_dir = fs::absolute(svd_dir);
    if (!fs::is_directory(svd_dir, ec)) fail(ErrorKind::io, fmt::format("--svd-dir {}: no such folder", req.svd_dir.string()));
  } else {
    svd_dir = configured_svd_dir();
  }

  VscodeInputs in;
  in.target = board.target;
  in.server = server;
  fs::path elf = root / "build" / board.target / "bin" / settings.elf;
  in.executable = vscode_path(elf, root);
  if (fs::is_regular_file(elf, ec)) {
    try {
      in.rtt = read_elf(elf).has_symbol("_SEGGER_RTT");
    } catch (const Error& e) {
      r.warn(fmt::format("cannot read {}: {}", elf.string(), e.what()));
    }
  }
  Tools tools = resolve_tools(checkout, r);
  in.toolchain_dir = tools.toolchain_dir;
  in.gdb_path = tools.gdb_path;
  in.compiler_path = tools.compiler_path;
  for (const fs::path& cc : {root / "build" / board.target / "compile_commands.json", root / "compile_commands.json"})
    if (fs::is_regular_file(cc, ec)) {
      in.compile_commands = vscode_path(cc, root);
      break;
    }
  if (!in.compile_commands)
    r.info(fmt::format("no compile_commands.json yet: IntelliSense searches the whole checkout; 'omv build {} "
                       "--compile-commands' makes an exact one",
                       board.target));
  in.svd_file = resolve_svd(board, checkout, req, svd_dir, r);
  in.attach_first = board.debug.attach_by_default;
  if (server != "qemu") in.core_clock_hz = core_clock_hz(checkout, board);
  in.wsl = running_under_wsl();
  in.device = board.debug.jlink_device;
  in.access_port = board.debug.access_port;
  if (server == "stlink") {
    std::string cube = tools.sdk_root + "/stcubeprog/bin";
    in.cubeprogrammer_dir = cube;
    if (!settings.external_loader.empty()) in.external_loader = cube + "/ExternalLoader/" + settings.external_loader;
  }
  if (server == "jlink" && in.device.empty())
    fail(ErrorKind::unsupported, fmt::format("{}: no J-Link device name in its board data", board.target));
  if (server == "qemu") {
    if (board.debug.qemu_machine.empty())
      fail(ErrorKind::unsupported, fmt::format("{} cannot run under QEMU: QEMU emulates no such machine", board.target));
    in.qemu_machine = board.debug.qemu_machine;
    in.qemu_cpu = board.core;
  }
  in.omv_command = req.omv_command;
  if (!req.sim.empty()) in.omv_global_args = {"--sim", fs::absolute(req.sim).string()};

  // Merge everything first; write only if nothing conflicts.
  fs::path dir = root / ".vscode";
  struct Pending {
    fs::path path;
    std::optional<std::string> before;
    MergeResult merge;
  };
  std::vector<Pending> pending;
  auto merge_keyed = [&](const char* file, const ojson& skeleton, const char* array_key, const char* id_key,
                         const std::vector<ojson>& entries) {
    fs::path p = dir / file;
    auto before = read_if_exists(p);
    pending.push_back({p, before, merge_entries(before, p.string(), skeleton, array_key, id_key, entries, req.force)});
  };
  merge_keyed("launch.json", ojson{{"version", "0.2.0"}}, "configurations", "name", launch_configurations(in));
  merge_keyed("tasks.json", ojson{{"version", "2.0.0"}}, "tasks", "label", tasks(in));
  merge_keyed("c_cpp_properties.json", ojson{{"version", 4}}, "configurations", "name", {cpp_configuration(in)});
  {
    fs::path p = dir / "extensions.json";
    auto before = read_if_exists(p);
    pending.push_back({p, before, merge_strings(before, p.string(), "recommendations", recommended_extensions(in.wsl))});
  }

  std::vector<std::string> conflicts;
  for (const auto& p : pending)
    for (const auto& c : p.merge.conflicts) conflicts.push_back(fmt::format("'{}' in {}", c, p.path.filename().string()));
  if (!conflicts.empty())
    fail(ErrorKind::refused,
         fmt::format("{} already differ from what omv would write: {}; nothing was written",
                     conflicts.size() == 1 ? "an entry of the same name does" : "entries of the same name",
                     join(conflicts, ", ")),
         "--force replaces omv's entries (other configurations and comments are kept)");

  if (!req.svd_dir.empty()) remember_svd_dir(svd_dir, r);
  std::vector<VscodeFileResult> results;
  for (const auto& p : pending) {
    VscodeFileResult fr;
    fr.path = p.path;
    fr.added = p.merge.added;
    fr.replaced = p.merge.replaced;
    fr.unchanged = p.merge.unchanged;
    if (!p.before) fr.status = "created";
    else if (p.merge.changed()) fr.status = "updated";
    else fr.status = "unchanged";
    if (fr.status != "unchanged") write_atomically(p.path, p.merge.text);
    results.push_back(std::move(fr));
  }
  return results;
}

}  // namespace omv::debug
