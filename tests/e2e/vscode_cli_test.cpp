// omv vscode in a firmware checkout, as a user runs it: the generated Cortex-Debug files, and the
// merge into a launch.json someone already wrote, with comments and other configurations.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "support/run.h"

namespace omv::test::vscode_cli_test {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const char* kHandWritten = R"({
    // My launch configurations. omv must keep this comment.
    "version": "0.2.0",
    "configurations": [
        {
            /* a Python configuration of another extension */
            "name": "Python: Current File",
            "type": "python",
            "request": "launch",
            "program": "${file}",
        },
    ],
}
)";

struct Checkout {
  TempDir tmp;
  fs::path root = tmp / "openmv";
  fs::path home = tmp / "home";

  Checkout() {
    write_file(root / "SDK_VERSION", "1.6.0\n");
    write_file(root / "Makefile", "all:\n");
    write_file(root / "boards/OPENMV4/board_config.mk", "MCU=STM32H743xx\nCPU=cortex-m7\nPORT=stm32\nCPU_FREQ_HZ=480000000\nOMV_JLINK_ARGS=--device STM32H743VI\n");
    write_file(root / "boards/OPENMV_AE3/board_config.mk", "CPU=cortex-m55\nPORT=alif\nOMV_DEBUG_ELF=firmware_M55_HP\n");
    write_file(root / "boards/OPENMV_N6/board_config.mk", "CPU=cortex-m55\nPORT=stm32\nDEBUGGER ?= STLINK\n");
    write_file(root / "boards/MPS2_AN500/board_config.mk", "PORT=qemu\nCPU=cortex-m7\nDEBUGGER=QEMU\n");
    fs::create_directories(home);
    // An installed SDK (only the files Cortex-Debug is pointed at).
    write_file(home / "openmv-sdk-1.6.0" / "sdk.version", "1.6.0\n");
  }
  RunOptions options() const {
    RunOptions o;
    o.cwd = root;
    o.env = {{"HOME", home.string()}, {"XDG_CONFIG_HOME", (tmp / "config").string()}, {"SDK_DIR", ""}};
    return o;
  }
  json read(const std::string& name) const {
    std::string text = read_file(root / ".vscode" / name);
    EXPECT_FALSE(text.empty()) << name;
    return json::parse(text, nullptr, true, /*ignore_comments=*/true);
  }
};

json config_named(const json& doc, const std::string& array, const std::string& key, const std::string& name) {
  for (const auto& c : doc[array])
    if (c.value(key, "") == name) return c;
  ADD_FAILURE() << "no " << name << " in " << doc.dump(2);
  return json::object();
}

std::string strip_trailing_commas(std::string s) {
  // nlohmann reads comments but not trailing commas; drop ",<spaces>}" and ",<spaces>]".
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] != ',') continue;
    size_t k = i + 1;
    while (k < s.size() && (s[k] == ' ' || s[k] == '\n' || s[k] == '\r' || s[k] == '\t')) ++k;
    if (k < s.size() && (s[k] == '}' || s[k] == ']')) s[i] = ' ';
  }
  return s;
}

TEST(VscodeCli, WritesCortexDebugFilesForOpenMv4) {
  Checkout co;
  auto r = omv({"vscode", "OPENMV4"}, co.options());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json launch = co.read("launch.json");
  EXPECT_EQ(launch["version"], "0.2.0");
  ASSERT_EQ(launch["configurations"].size(), 2u);
  json l = launch["configurations"][0];
  EXPECT_EQ(l["name"], "omv OPENMV4 launch");
  EXPECT_EQ(l["type"], "cortex-debug");
  EXPECT_EQ(l["request"], "launch");
  EXPECT_EQ(l["servertype"], "jlink");
  EXPECT_EQ(l["device"], "STM32H743VI");
  EXPECT_EQ(l["interface"], "swd");
  EXPECT_EQ(l["swoConfig"]["cpuFrequency"], 480000000);  // CPU_FREQ_HZ of the checkout's board_config.mk
  EXPECT_EQ(l["executable"], "${workspaceFolder}/build/OPENMV4/bin/firmware.elf");
  EXPECT_EQ(l["runToEntryPoint"], "main");
  EXPECT_EQ(l["armToolchainPath"], "${env:HOME}/openmv-sdk-1.6.0/gcc/bin");
  EXPECT_EQ(l["gdbPath"], "${env:HOME}/openmv-sdk-1.6.0/gcc/bin/arm-none-eabi-gdb");
  EXPECT_EQ(l["preLaunchTask"], "omv build OPENMV4 --debug");
  EXPECT_FALSE(l.contains("svdFile")) << "omv never invents an SVD path";
  EXPECT_EQ(launch["configurations"][1]["request"], "attach");

  json tasks = co.read("tasks.json");
  json build = config_named(tasks, "tasks", "label", "omv build OPENMV4 --debug");
  EXPECT_EQ(build["args"], json::array({"build", "OPENMV4", "--debug"}));
  EXPECT_EQ(build["group"], "build");

  json ext = co.read("extensions.json");
  EXPECT_EQ(ext["recommendations"], json::array({"ms-vscode.cpptools", "marus25.cortex-debug"}));

  json cpp = co.read("c_cpp_properties.json");
  json c = config_named(cpp, "configurations", "name", "omv OPENMV4");
  EXPECT_EQ(c["compilerPath"], "${env:HOME}/openmv-sdk-1.6.0/gcc/bin/arm-none-eabi-gcc");
  EXPECT_NE(r.err.find("no svdFile"), std::string::npos) << r.err;

  // Running it again changes nothing.
  std::string before = read_file(co.root / ".vscode/launch.json");
  r = omv({"vscode", "OPENMV4"}, co.options());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(co.root / ".vscode/launch.json"), before);
  EXPECT_NE(r.err.find("launch.json: unchanged"), std::string::npos) << r.err;
}

TEST(VscodeCli, MergesIntoAnExistingLaunchJsonKeepingCommentsAndOtherConfigurations) {
  Checkout co;
  write_file(co.root / ".vscode/launch.json", kHandWritten);
  auto r = omv({"vscode", "OPENMV4"}, co.options());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::string text = read_file(co.root / ".vscode/launch.json");
  EXPECT_NE(text.find("// My launch configurations. omv must keep this comment."), std::string::npos) << text;
  EXPECT_NE(text.find("/* a Python configuration of another extension */"), std::string::npos) << text;
  json launch = json::parse(strip_trailing_commas(text), nullptr, true, true);
  ASSERT_EQ(launch["configurations"].size(), 3u) << text;
  EXPECT_EQ(launch["configurations"][0]["name"], "Python: Current File");
  EXPECT_EQ(config_named(launch, "configurations", "name", "omv OPENMV4 launch")["device"], "STM32H743VI");

  // Someone edits omv's configuration: a plain rerun refuses and writes nothing.
  std::string edited = text;
  edited.replace(edited.find("\"STM32H743VI\""), 13, "\"STM32H750VB\"");
  write_file(co.root / ".vscode/launch.json", edited);
  std::string tasks_before = read_file(co.root / ".vscode/tasks.json");
  r = omv({"vscode", "OPENMV4"}, co.options());
  EXPECT_EQ(r.exit_code, 9) << r.err;
  EXPECT_NE(r.err.find("'omv OPENMV4 launch' in launch.json"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("--force"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(co.root / ".vscode/launch.json"), edited);
  EXPECT_EQ(read_file(co.root / ".vscode/tasks.json"), tasks_before);

  // --force replaces it; the rest stays.
  r = omv({"vscode", "OPENMV4", "--force"}, co.options());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  text = read_file(co.root / ".vscode/launch.json");
  EXPECT_NE(text.find("// My launch configurations. omv must keep this comment."), std::string::npos);
  launch = json::parse(strip_trailing_commas(text), nullptr, true, true);
  EXPECT_EQ(launch["configurations"].size(), 3u);
  EXPECT_EQ(config_named(launch, "configurations", "name", "omv OPENMV4 launch")["device"], "STM32H743VI");
}

TEST(VscodeCli, RefusesAFileItCannotParse) {
  Checkout co;
  std::string broken = "{\n  \"configurations\": [\n    { \"name\": \"x\" \n  ]\n}\n";
  write_file(co.root / ".vscode/launch.json", broken);
  auto r = omv({"vscode", "OPENMV4"}, co.options());
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("launch.json: line 4, column 3"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(co.root / ".vscode/launch.json"), broken);
  EXPECT_FALSE(fs::exists(co.root / ".vscode/tasks.json"));
}

TEST(VscodeCli, Ae3AttachesFirstWithTheVendoredSvd) {
  Checkout co;
  fs::path svd = co.root / "lib/micropython/lib/alif_ensemble-cmsis-dfp/Debug/SVD/AE302F80F55D5AE_CM55_HP_View.svd";
  write_file(svd, "<device/>");
  auto r = omv({"vscode", "OPENMV_AE3"}, co.options());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json launch = co.read("launch.json");
  json first = launch["configurations"][0];
  EXPECT_EQ(first["name"], "omv OPENMV_AE3 attach");
  EXPECT_EQ(first["request"], "attach");
  EXPECT_EQ(first["device"], "AE302F80F55D5_HP");
  EXPECT_EQ(first["executable"], "${workspaceFolder}/build/OPENMV_AE3/bin/firmware_M55_HP.elf");
  EXPECT_EQ(first["svdFile"],
            "${workspaceFolder}/lib/micropython/lib/alif_ensemble-cmsis-dfp/Debug/SVD/AE302F80F55D5AE_CM55_HP_View.svd");
}

TEST(VscodeCli, N6UsesStlinkWithItsExternalLoaderAndAttachesFirst) {
  Checkout co;
  auto r = omv({"vscode", "OPENMV_N6"}, co.options());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json first = co.read("launch.json")["configurations"][0];
  EXPECT_EQ(first["request"], "attach");
  EXPECT_EQ(first["servertype"], "stlink");
  EXPECT_EQ(first["stm32cubeprogrammer"], "${env:HOME}/openmv-sdk-1.6.0/stcubeprog/bin");
  EXPECT_EQ(first["serverArgs"],
            json::array({"--extload", "${env:HOME}/openmv-sdk-1.6.0/stcubeprog/bin/ExternalLoader/MX25UM51245G_STM32N6570-NUCLEO.stldr",
                         "--apid", "1"}));
}

TEST(VscodeCli, SvdFromTheCommandLineOrARememberedFolder) {
  Checkout co;
  write_file(co.tmp / "svd" / "STM32H743.svd", "<device/>");
  auto r = omv({"vscode", "OPENMV4", "--svd", (co.tmp / "svd" / "STM32H743.svd").string()}, co.options());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(co.read("launch.json")["configurations"][0]["svdFile"], (co.tmp / "svd" / "STM32H743.svd").string());

  r = omv({"vscode", "OPENMV4", "--svd", (co.tmp / "missing.svd").string()}, co.options());
  EXPECT_EQ(r.exit_code, 10) << r.err;

  // A folder given once is remembered in omv's config.
  Checkout other;
  auto opts = other.options();
  opts.env["XDG_CONFIG_HOME"] = (co.tmp / "config").string();
  r = omv({"vscode", "OPENMV4", "--svd-dir", (co.tmp / "svd").string()}, opts);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(read_file(co.tmp / "config" / "omv" / "config.json").find("svd_dir"), std::string::npos);
  fs::remove_all(other.root / ".vscode");
  r = omv({"vscode", "OPENMV4"}, opts);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(other.read("launch.json")["configurations"][0]["svdFile"], (co.tmp / "svd" / "STM32H743.svd").string());
}

TEST(VscodeCli, QemuBoardGetsALaunchAndAnAttachToTheVirtualCamera) {
  Checkout co;
  auto r = omv({"vscode", "MPS2_AN500", "--sim", (co.tmp / "bus").string()}, co.options());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json launch = co.read("launch.json");
  EXPECT_EQ(launch["configurations"][0]["servertype"], "qemu");
  EXPECT_EQ(launch["configurations"][0]["machine"], "mps2-an500");
  EXPECT_EQ(launch["configurations"][0]["cpu"], "cortex-m7");
  json attach = launch["configurations"][1];
  EXPECT_EQ(attach["servertype"], "external");
  EXPECT_EQ(attach["preLaunchTask"], "omv debug MPS2_AN500 --no-gdb");
  json serve = config_named(co.read("tasks.json"), "tasks", "label", "omv debug MPS2_AN500 --no-gdb");
  EXPECT_EQ(serve["isBackground"], true);
  EXPECT_EQ(serve["args"][0], "--sim");
  EXPECT_EQ(serve["args"][1], (co.tmp / "bus").string());

  // Outside a checkout there is nowhere to write.
  RunOptions outside = co.options();
  outside.cwd = co.tmp.path();
  r = omv({"vscode", "OPENMV4"}, outside);
  EXPECT_EQ(r.exit_code, 2) << r.err;
}

}  // namespace
}  // namespace omv::test::vscode_cli_test
