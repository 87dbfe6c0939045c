#include "doctor/checks.h"

#include <gtest/gtest.h>

namespace omv::doctor {
namespace {

Facts healthy_linux() {
  Facts f;
  f.sysname = "Linux";
  f.machine = "x86_64";
  f.kernel_release = "6.1.0-18-amd64";
  f.checkout = std::filesystem::path("/home/u/openmv");
  sdk::SdkStatus s;
  s.required = "1.6.0";
  s.dir = "/home/u/openmv-sdk-1.6.0";
  s.installed = "1.6.0";
  f.sdk = s;
  f.sdk_gcc_exists = f.sdk_gdb_exists = true;
  f.make.path = "/usr/bin/make";
  f.make.version = "GNU Make 4.3";
  f.make_version = build::parse_gcc_version("4.3");
  f.git.path = "/usr/bin/git";
  f.qemu.path = "/usr/bin/qemu-system-arm";
  f.docker_engine = true;
  f.docker_detail = "Docker engine 27.0";
  f.user_groups = {"u", "dialout"};
  f.dialout_exists = true;
  f.udev_rules = {"/etc/udev/rules.d/99-openmv.rules"};
  f.n6_layout = "/home/u/openmvide/share/qtcreator/firmware/OPENMV_N6/FlashLayout.tsv";
  return f;
}

const Check& get(const std::vector<Check>& checks, const std::string& name) {
  for (const auto& c : checks)
    if (c.name == name) return c;
  throw std::runtime_error("no check " + name);
}

bool has(const std::vector<Check>& checks, const std::string& name) {
  for (const auto& c : checks)
    if (c.name == name) return true;
  return false;
}

TEST(Doctor, HealthyHostIsAllOk) {
  for (const auto& c : evaluate(healthy_linux())) EXPECT_EQ(c.status, Status::ok) << c.name << ": " << c.message;
}

TEST(Doctor, MissingOrMismatchedSdk) {
  auto f = healthy_linux();
  f.sdk->installed.reset();
  f.sdk->others = {{"/home/u/openmv-sdk-1.5.0", "1.5.0"}};
  auto c = get(evaluate(f), "sdk");
  EXPECT_EQ(c.status, Status::problem);
  EXPECT_NE(c.message.find("installed: 1.5.0, required: 1.6.0"), std::string::npos) << c.message;
  EXPECT_EQ(c.fix, "omv sdk install");
}

TEST(Doctor, OlderGccShadowingTheSdkNamesItsPath) {
  auto f = healthy_linux();
  f.gcc.path = "/usr/bin/arm-none-eabi-gcc";
  f.gcc_version = build::parse_gcc_version("12.2.1");
  auto c = get(evaluate(f), "compiler");
  EXPECT_EQ(c.status, Status::warning);
  EXPECT_NE(c.message.find("/usr/bin/arm-none-eabi-gcc (GCC 12.2.1)"), std::string::npos) << c.message;
  EXPECT_NE(c.message.find("GNU make 4.3"), std::string::npos) << c.message;
  EXPECT_NE(c.fix.find("/usr/bin"), std::string::npos);
  // The SDK's own gcc first on PATH is fine.
  f.gcc.path = "/home/u/openmv-sdk-1.6.0/gcc/bin/arm-none-eabi-gcc";
  f.gcc_version = build::parse_gcc_version("14.3.1");
  EXPECT_EQ(get(evaluate(f), "compiler").status, Status::ok);
}

TEST(Doctor, GdbFallsBackToGdbMultiarch) {
  auto f = healthy_linux();
  f.sdk_gdb_exists = false;
  f.gdb_multiarch.path = "/usr/bin/gdb-multiarch";
  EXPECT_EQ(get(evaluate(f), "gdb").status, Status::ok);
  f.gdb_multiarch.path.reset();
  auto c = get(evaluate(f), "gdb");
  EXPECT_EQ(c.status, Status::problem);
  EXPECT_NE(c.fix.find("gdb-multiarch"), std::string::npos);
}

TEST(Doctor, QemuMissingIsAWarning) {
  auto f = healthy_linux();
  f.qemu.path.reset();
  auto c = get(evaluate(f), "qemu");
  EXPECT_EQ(c.status, Status::warning);
  EXPECT_NE(c.fix.find("qemu-system-arm"), std::string::npos);
}

TEST(Doctor, UdevAndGroups) {
  auto f = healthy_linux();
  f.udev_rules.clear();
  f.user_groups = {"u"};
  auto checks = evaluate(f);
  EXPECT_EQ(get(checks, "udev").status, Status::problem);
  EXPECT_NE(get(checks, "udev").fix.find("udevadm"), std::string::npos);
  EXPECT_EQ(get(checks, "groups").status, Status::problem);
  EXPECT_NE(get(checks, "groups").fix.find("usermod -aG dialout"), std::string::npos);
  f.udev_command = true;
  f.is_root = true;
  checks = evaluate(f);
  EXPECT_EQ(get(checks, "udev").status, Status::warning);
  EXPECT_EQ(get(checks, "udev").fix, "sudo omv udev install");
  EXPECT_EQ(get(checks, "groups").status, Status::ok);
}

TEST(Doctor, Wsl1IsAProblemWsl2IsFineButNotOnTheWindowsDrive) {
  auto f = healthy_linux();
  EXPECT_FALSE(has(evaluate(f), "wsl"));
  f.kernel_release = "4.4.0-19041-Microsoft";
  auto c = get(evaluate(f), "wsl");
  EXPECT_EQ(c.status, Status::problem);
  EXPECT_NE(c.fix.find("wsl --set-version"), std::string::npos);
  f.kernel_release = "5.15.153.1-microsoft-standard-WSL2";
  EXPECT_EQ(get(evaluate(f), "wsl").status, Status::ok);
  // USB cameras: usbipd-win attaches them, --auto-attach follows their re-enumerations.
  auto usb = get(evaluate(f), "wsl-usb");
  EXPECT_EQ(usb.status, Status::warning);  // no vhci-hcd in this made-up kernel
  EXPECT_NE(usb.fix.find("wsl --update"), std::string::npos);
  f.vhci_hcd = true;
  usb = get(evaluate(f), "wsl-usb");
  EXPECT_EQ(usb.status, Status::ok);
  EXPECT_NE(usb.fix.find("usbipd bind --busid <BUSID>"), std::string::npos);
  EXPECT_NE(usb.fix.find("usbipd attach --wsl --busid <BUSID> --auto-attach"), std::string::npos);
  EXPECT_FALSE(has(evaluate(f), "checkout location"));
  f.checkout = std::filesystem::path("/mnt/c/Users/u/openmv");
  auto loc = get(evaluate(f), "checkout location");
  EXPECT_EQ(loc.status, Status::warning);
  EXPECT_NE(loc.fix.find("omv clone ~/openmv"), std::string::npos);
}

TEST(Doctor, SaysWhereTheN6RecoveryFilesComeFrom) {
  auto f = healthy_linux();
  EXPECT_NE(get(evaluate(f), "n6-recovery").message.find("openmvide/share/qtcreator/firmware/OPENMV_N6"), std::string::npos);
  f.n6_missing = {"MX66UW1G45G_STM32N6570-DK-OBL.bin"};
  auto missing = get(evaluate(f), "n6-recovery");
  EXPECT_EQ(missing.status, Status::warning);
  EXPECT_NE(missing.message.find("MX66UW1G45G_STM32N6570-DK-OBL.bin"), std::string::npos);
  f.n6_layout.reset();
  f.n6_looked_in = {"/opt/openmvide/share/qtcreator/firmware"};
  auto absent = get(evaluate(f), "n6-recovery");
  EXPECT_EQ(absent.status, Status::warning);
  EXPECT_NE(absent.message.find("omv does not redistribute them"), std::string::npos);
  EXPECT_NE(absent.message.find("/opt/openmvide/share/qtcreator/firmware"), std::string::npos);
  EXPECT_NE(absent.fix.find("OMV_IDE_DIR"), std::string::npos);
}

TEST(Doctor, IntelMacIsUnsupported) {
  auto f = healthy_linux();
  f.sysname = "Darwin";
  f.machine = "x86_64";
  auto c = get(evaluate(f), "host");
  EXPECT_EQ(c.status, Status::problem);
  EXPECT_NE(c.fix.find("--docker"), std::string::npos);
  EXPECT_FALSE(has(evaluate(f), "udev"));  // Linux only
  f.machine = "arm64";
  EXPECT_EQ(get(evaluate(f), "host").status, Status::ok);
}

}  // namespace
}  // namespace omv::doctor
