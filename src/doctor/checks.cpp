#include "doctor/checks.h"

#include <fmt/format.h>
#include <grp.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "build/docker_build.h"
#include "build/process.h"
#include "core/error.h"
#include "core/text.h"
#include "flash/ide_recovery_files.h"
#include "image/flash_layout.h"

namespace omv::doctor {
namespace fs = std::filesystem;

const char* to_string(Status status) {
  switch (status) {
    case Status::ok: return "ok";
    case Status::warning: return "warning";
    case Status::problem: return "problem";
  }
  return "?";
}

namespace {

std::string read_text(const fs::path& p, size_t limit = 1 << 20) {
  std::ifstream in(p, std::ios::binary);
  std::string s(limit, '\0');
  in.read(s.data(), static_cast<std::streamsize>(limit));
  s.resize(static_cast<size_t>(in.gcount()));
  return s;
}

Tool find_tool(const std::string& name, const std::string& path, const char* version_flag = "--version") {
  Tool t;
  t.path = build::find_on_path(name, path);
  if (!t.path) return t;
  build::ProcessOptions o;
  o.capture = true;
  o.timeout = std::chrono::seconds(10);
  try {
    auto r = build::run_process({t.path->string(), version_flag}, o);
    t.version = std::string(trim(r.output.substr(0, r.output.find('\n'))));
  } catch (const std::exception&) {
  }
  return t;
}

std::optional<build::GccVersion> version_in(const std::string& line) {
  // "GNU Make 4.3" -> 4.3
  for (size_t i = 0; i < line.size(); ++i)
    if (std::isdigit(static_cast<unsigned char>(line[i])) && (i == 0 || line[i - 1] == ' '))
      return build::parse_gcc_version(line.substr(i));
  return std::nullopt;
}

bool is_wsl(const Facts& f) {
  return f.wsl_env || to_lower(f.kernel_release).find("microsoft") != std::string::npos;
}

bool is_wsl1(const Facts& f) {
  // WSL 2 kernels say "...-microsoft-standard-WSL2"; WSL 1 reports a Windows build, "4.4.0-19041-Microsoft".
  const std::string r = f.kernel_release;
  return is_wsl(f) && r.find("Microsoft") != std::string::npos && to_lower(r).find("wsl2") == std::string::npos &&
         r.find("microsoft-standard") == std::string::npos;
}

bool has_group(const Facts& f, const std::string& g) {
  for (const auto& x : f.user_groups)
    if (x == g) return true;
  return false;
}

}  // namespace

Facts gather(const std::optional<fs::path>& checkout, const std::string& sdk_version, bool udev_command) {
  Facts f;
  utsname u{};
  if (uname(&u) == 0) {
    f.sysname = u.sysname;
    f.machine = u.machine;
    f.kernel_release = u.release;
  }
  std::string osrelease(trim(read_text("/proc/sys/kernel/osrelease", 4096)));
  if (!osrelease.empty()) f.kernel_release = osrelease;
  f.wsl_env = std::getenv("WSL_DISTRO_NAME") || std::getenv("WSL_INTEROP");
  std::error_code no_vhci;
  f.vhci_hcd = std::filesystem::exists("/sys/module/vhci_hcd", no_vhci) ||
               std::filesystem::exists("/sys/bus/platform/drivers/vhci_hcd", no_vhci);
  f.checkout = checkout;
  if (checkout && !sdk_version.empty()) f.sdk = sdk::sdk_status(sdk_version);
  const char* home = std::getenv("HOME");
  if (home && *home) f.installed = sdk::installed_sdks(home);

  const std::string path = build::current_path_env();
  f.gcc = find_tool("arm-none-eabi-gcc", path, "-dumpfullversion");
  if (f.gcc.path) f.gcc_version = build::parse_gcc_version(f.gcc.version);
  if (f.sdk && f.sdk->installed) {
    std::error_code ec;
    f.sdk_gcc_exists = fs::exists(f.sdk->dir / "gcc/bin/arm-none-eabi-gcc", ec);
    f.sdk_gdb_exists = fs::exists(f.sdk->dir / "gcc/bin/arm-none-eabi-gdb", ec);
  }
  f.gdb_multiarch = find_tool("gdb-multiarch", path);
  f.arm_gdb = find_tool("arm-none-eabi-gdb", path);
  f.qemu = find_tool("qemu-system-arm", path);
  f.make = find_tool("make", path);
  if (f.make.path) f.make_version = version_in(f.make.version);
  f.git = find_tool("git", path);
  auto docker = build::probe_docker(path);
  f.docker_found = build::find_on_path("docker", path).has_value();
  f.docker_engine = docker.usable;
  f.docker_detail = docker.detail;

  f.is_root = geteuid() == 0;
  int n = getgroups(0, nullptr);
  std::vector<gid_t> gids(static_cast<size_t>(n > 0 ? n : 0));
  if (n > 0) n = getgroups(n, gids.data());
  gids.push_back(getegid());
  for (gid_t g : gids)
    if (const group* gr = getgrgid(g)) f.user_groups.push_back(gr->gr_name);
  f.dialout_exists = getgrnam("dialout") != nullptr;
  for (const char* dir : {"/etc/udev/rules.d", "/lib/udev/rules.d", "/usr/lib/udev/rules.d"}) {
    std::error_code ec;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() != ".rules") continue;
      std::string text = to_lower(read_text(it->path(), 256 * 1024));
      if (text.find("37c5") != std::string::npos) f.udev_rules.push_back(it->path().string());
    }
  }
  f.udev_command = udev_command;
  for (const auto& dir : flash::ide_firmware_dirs()) f.n6_looked_in.push_back(dir.string());
  if (auto ide = flash::find_ide_recovery_files("OPENMV_N6")) {
    f.n6_layout = ide->layout;
    try {
      for (const auto& line : image::read_flash_layout(ide->layout, {{0x01, 0x03}}).lines) {
        std::error_code ec;
        if (line.selected() && !line.binary.empty() && !fs::exists(line.binary_path, ec)) f.n6_missing.push_back(line.binary);
      }
    } catch (const Error& e) {
      f.n6_missing.push_back(std::string("(unreadable layout: ") + e.what() + ")");
    }
  }
  return f;
}

std::vector<Check> evaluate(const Facts& f) {
  std::vector<Check> out;
  auto add = [&](std::string name, Status s, std::string message, std::string fix = {}) {
    out.push_back({std::move(name), s, std::move(message), std::move(fix)});
  };
  const bool linux_host = f.sysname == "Linux";

  // The host itself.
  if (f.sysname == "Darwin" && f.machine == "x86_64")
    add("host", Status::problem, "macOS on Intel is not a supported build host (the SDK is built for arm64 Macs)",
        "build in Docker (omv build --docker TARGET) or in a Linux VM");
  else if (f.sysname == "Darwin")
    add("host", Status::ok, "macOS " + f.machine);
  else if (linux_host && f.machine != "x86_64")
    add("host", Status::warning, fmt::format("Linux {}: the SDK is published for linux-x86_64 and darwin-arm64", f.machine),
        "build with your own GCC 14.3+ (omv build --no-sdk) or in Docker");
  else
    add("host", Status::ok, f.sysname + " " + f.machine);

  if (is_wsl(f)) {
    if (is_wsl1(f))
      add("wsl", Status::problem, "WSL 1 (kernel " + f.kernel_release + "): the build needs WSL 2",
          "in PowerShell: wsl --set-version <distro> 2  (wsl --list --verbose shows the version)");
    else
      add("wsl", Status::ok, "WSL 2");
    // Cameras reach WSL 2 only through USB/IP, attached from Windows by usbipd-win. A camera that
    // re-enumerates (reset into its bootloader, DFU detach) is a new device there: --auto-attach
    // attaches it again each time.
    const std::string attach =
        "in an administrator PowerShell: winget install usbipd; usbipd list (find the camera's BUSID); "
        "usbipd bind --busid <BUSID>; usbipd attach --wsl --busid <BUSID> --auto-attach (keeps re-attaching it "
        "as it resets into its bootloader and back); then omv list";
    if (!is_wsl1(f)) {
      if (f.vhci_hcd)
        add("wsl-usb", Status::ok, "USB cameras reach WSL 2 through usbipd-win (the kernel's vhci-hcd is here)", attach);
      else
        add("wsl-usb", Status::warning, "this WSL 2 kernel has no vhci-hcd: usbipd-win cannot attach cameras to it",
            "in PowerShell: wsl --update (then wsl --shutdown), then " + attach);
    }
    if (f.checkout && f.checkout->string().rfind("/mnt/", 0) == 0)
      add("checkout location", Status::warning,
          f.checkout->string() + " is on the Windows drive: builds there are much slower and break permissions and line endings",
          "clone into the Linux home instead: omv clone ~/openmv");
  }

  // Checkout and SDK.
  if (f.checkout)
    add("checkout", Status::ok, "firmware checkout at " + f.checkout->string());
  else
    add("checkout", Status::warning, "not inside a firmware checkout", "omv clone (then cd into it), or pass --repo DIR");

  if (f.sdk) {
    if (f.sdk->system_toolchain)
      add("sdk", Status::ok, "the checkout builds with the toolchain on PATH (SDK_VERSION says '" + f.sdk->required + "')");
    else if (f.sdk->ok())
      add("sdk", Status::ok, fmt::format("OpenMV SDK {} in {}", f.sdk->required, f.sdk->dir.string()));
    else
      add("sdk", Status::problem, f.sdk->problem(), "omv sdk install");
  } else if (!f.installed.empty()) {
    std::vector<std::string> v;
    for (const auto& i : f.installed) v.push_back(i.version + " (" + i.dir.string() + ")");
    add("sdk", Status::ok, "installed: " + join(v, ", "));
  } else {
    add("sdk", Status::warning, "no OpenMV SDK installed", "omv sdk install (inside a checkout; it reads SDK_VERSION)");
  }

  // An older compiler ahead of the SDK's.
  const bool sdk_ready = f.sdk && f.sdk->ok() && !f.sdk->system_toolchain;
  if (f.gcc.path && f.gcc_version && !f.gcc_version->at_least(14, 3)) {
    bool is_sdks = sdk_ready && f.gcc.path->string().rfind(f.sdk->dir.string() + "/", 0) == 0;
    if (!is_sdks) {
      std::string msg = fmt::format("{} (GCC {}) is the first arm-none-eabi-gcc on PATH; Cortex-M55 boards (OPENMV_N6, "
                                    "OPENMV_AE3) need 14.3+",
                                    f.gcc.path->string(), f.gcc_version->text);
      if (sdk_ready) {
        bool old_make = f.make_version && !f.make_version->at_least(4, 4);
        msg += old_make ? fmt::format("; 'omv build' puts the SDK first, but plain 'make' (GNU make {} runs $(shell ...) "
                                      "with your PATH) would pick this one and refuse those boards",
                                      f.make_version->text)
                        : "; 'omv build' puts the SDK's first";
        add("compiler", Status::warning, msg,
            fmt::format("use 'omv build', or put the SDK first: eval \"$(omv sdk env)\", or remove {} from PATH",
                        f.gcc.path->parent_path().string()));
      } else {
        add("compiler", Status::warning, msg, "omv sdk install (the SDK has GCC 14.3)");
      }
    } else {
      add("compiler", Status::ok, fmt::format("{} (GCC {})", f.gcc.path->string(), f.gcc_version->text));
    }
  } else if (f.gcc.path && f.gcc_version) {
    add("compiler", Status::ok, fmt::format("{} (GCC {})", f.gcc.path->string(), f.gcc_version->text));
  } else if (sdk_ready) {
    add("compiler", Status::ok, "the SDK's arm-none-eabi-gcc (not on PATH outside omv; eval \"$(omv sdk env)\" adds it)");
  } else {
    add("compiler", Status::warning, "no arm-none-eabi-gcc", "omv sdk install");
  }
  if (sdk_ready && !f.sdk_gcc_exists)
    add("sdk compiler", Status::problem, "the SDK in " + f.sdk->dir.string() + " has no gcc/bin/arm-none-eabi-gcc",
        "reinstall it: remove the folder, then omv sdk install");

  // Debugging.
  if (sdk_ready && f.sdk_gdb_exists)
    add("gdb", Status::ok, "the SDK's arm-none-eabi-gdb");
  else if (f.gdb_multiarch.path)
    add("gdb", Status::ok, f.gdb_multiarch.path->string() + (f.gdb_multiarch.version.empty() ? "" : " (" + f.gdb_multiarch.version + ")"));
  else if (f.arm_gdb.path)
    add("gdb", Status::ok, f.arm_gdb.path->string());
  else
    add("gdb", Status::problem, "no arm-none-eabi-gdb (SDK) and no gdb-multiarch", "sudo apt install gdb-multiarch, or omv sdk install");
  if (f.qemu.path)
    add("qemu", Status::ok, f.qemu.path->string() + (f.qemu.version.empty() ? "" : " (" + f.qemu.version + ")"));
  else
    add("qemu", Status::warning, "no qemu-system-arm: the emulated boards (MPS2_AN500, MPS3_AN547) cannot run",
        "sudo apt install qemu-system-arm");

  // Build tools.
  if (f.make.path)
    add("make", Status::ok, f.make.version.empty() ? f.make.path->string() : f.make.version);
  else
    add("make", Status::problem, "no make", "sudo apt install build-essential");
  if (f.git.path)
    add("git", Status::ok, f.git.version.empty() ? f.git.path->string() : f.git.version);
  else
    add("git", Status::problem, "no git", "sudo apt install git");
  if (f.docker_engine)
    add("docker", Status::ok, f.docker_detail);
  else
    add("docker", Status::warning, f.docker_detail + " (only 'omv build --docker' needs it)",
        f.docker_found ? "start the engine: sudo systemctl start docker" : "https://docs.docker.com/engine/install/");

  // Recovery helpers that ship with OpenMV IDE, not with omv.
  const std::string n6_origin = "ST's OpenBootloader and external-flash loader for 'omv recover OPENMV_N6' ship with OpenMV "
                                "IDE (firmware/OPENMV_N6/); omv does not redistribute them";
  if (f.n6_layout && f.n6_missing.empty())
    add("n6-recovery", Status::ok, "N6 recovery files: " + f.n6_layout->parent_path().string() + " (from OpenMV IDE)");
  else if (f.n6_layout)
    add("n6-recovery", Status::warning,
        f.n6_layout->string() + " names files that are missing: " + join(f.n6_missing, ", "),
        "reinstall OpenMV IDE, or pass the files to omv recover OPENMV_N6 (--openbl, --extfl)");
  else
    add("n6-recovery", Status::warning,
        n6_origin + "; not found (looked in " + join(f.n6_looked_in, ", ") + ")",
        "install OpenMV IDE (or set OMV_IDE_DIR to its folder), or pass --layout DIR/FlashLayout.tsv to omv recover");

  // Device access.
  if (linux_host) {
    std::string udev_fix = f.udev_command ? "sudo omv udev install"
                                          : "copy OpenMV IDE's 99-openmv*.rules to /etc/udev/rules.d/, then: sudo udevadm "
                                            "control --reload-rules && sudo udevadm trigger";
    if (!f.udev_rules.empty())
      add("udev", Status::ok, "rules for OpenMV devices: " + join(f.udev_rules, ", "));
    else if (f.is_root)
      add("udev", Status::warning, "no udev rules for OpenMV devices (root can open them; other users cannot)", udev_fix);
    else
      add("udev", Status::problem, "no udev rules for OpenMV devices: bootloaders and cameras will be 'permission denied'",
          udev_fix);
    if (f.is_root)
      add("groups", Status::ok, "running as root");
    else if (f.dialout_exists && !has_group(f, "dialout"))
      add("groups", Status::problem, "you are not in the dialout group: the cameras' serial ports need it",
          "sudo usermod -aG dialout $USER, then log out and back in");
    else
      add("groups", Status::ok, f.dialout_exists ? "in the dialout group" : "no dialout group on this system");
  }
  return out;
}

}  // namespace omv::doctor
