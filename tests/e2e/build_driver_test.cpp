// omv build / clean / submodules / build --docker on a small firmware tree in the upstream layout
// (tests/fixtures/firmware-tree), with a stand-in SDK whose gcc runs Debian's arm-none-eabi-gcc.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "core/text.h"
#include "support/run.h"
#include "support/sdk_fixture.h"

namespace omv::test::build_driver_test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

std::map<std::string, std::string> read_vars(const fs::path& file) {
  std::map<std::string, std::string> vars;
  std::istringstream in(read_file(file));
  for (std::string line; std::getline(in, line);) {
    auto eq = line.find('=');
    if (eq != std::string::npos) vars[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return vars;
}

class BuildDriver : public ::testing::Test {
 protected:
  TempDir tmp;
  fs::path fw = tmp / "fw";
  fs::path home = tmp / "home";
  fs::path sdk = home / "openmv-sdk-1.6.0";
  fs::path bin = tmp / "bin";

  void SetUp() override {
    fs::copy(fs::path(OMV_SOURCE_DIR) / "tests/fixtures/firmware-tree", fw, fs::copy_options::recursive);
    fs::create_directories(bin);
    make_sdk("1.6.0", "14.3.1");
  }
  void make_sdk(const std::string& version, const std::string& gcc_version) {
    write_file(sdk / "sdk.version", version + "\n");
    write_executable(sdk / "gcc/bin/arm-none-eabi-gcc",
                     "#!/bin/sh\ncase \"$1\" in -dumpversion|-dumpfullversion) echo " + gcc_version +
                         "; exit 0;; esac\nexec /usr/bin/arm-none-eabi-gcc \"$@\"\n");
    write_executable(sdk / "gcc/bin/arm-none-eabi-objcopy", "#!/bin/sh\nexec /usr/bin/arm-none-eabi-objcopy \"$@\"\n");
  }
  // An older compiler first on the user's PATH.
  void old_gcc_first(const std::string& version = "13.2.1") {
    write_executable(bin / "arm-none-eabi-gcc", "#!/bin/sh\ncase \"$1\" in -dumpversion|-dumpfullversion) echo " + version +
                                                    "; exit 0;; esac\nexec /usr/bin/arm-none-eabi-gcc \"$@\"\n");
  }
  RunOptions opts(std::map<std::string, std::string> extra = {}) const {
    RunOptions o;
    o.cwd = fw;
    o.env = {{"HOME", home.string()},
             {"SDK_DIR", ""},
             {"PATH", bin.string() + ":/usr/local/sbin:/usr/sbin:/usr/bin:/sbin:/bin"}};
    for (auto& [k, v] : extra) o.env[k] = v;
    return o;
  }
  RunResult build(std::vector<std::string> args, std::map<std::string, std::string> env = {}) const {
    args.insert(args.begin(), "build");
    return omv(args, opts(env));
  }
  std::map<std::string, std::string> invocation(const std::string& target) const {
    return read_vars(fw / "build" / target / "invocation.txt");
  }
};

TEST_F(BuildDriver, MapsEveryOptionToItsMakeVariable) {
  auto r = build({"OPENMV4", "--debug", "--verbose", "--debug-printf", "--profile", "--profile-hash", "64", "--profile-irq",
                  "--stack-protector", "--fb-alloc-stats", "--debugger", "stlink", "-j", "3", "--", "EXTRA=yes"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto v = invocation("OPENMV4");
  EXPECT_EQ(v["TARGET"], "OPENMV4");
  EXPECT_EQ(v["DEBUG"], "1");
  EXPECT_EQ(v["V"], "1");
  EXPECT_EQ(v["DEBUG_PRINTF"], "1");
  EXPECT_EQ(v["PROFILE_ENABLE"], "1");
  EXPECT_EQ(v["PROFILE_HASH"], "64");
  EXPECT_EQ(v["PROFILE_IRQ"], "1");
  EXPECT_EQ(v["STACK_PROTECTOR"], "1");
  EXPECT_EQ(v["FB_ALLOC_STATS"], "1");
  EXPECT_EQ(v["DEBUGGER"], "STLINK");
  EXPECT_EQ(v["EXTRA"], "yes");
  EXPECT_NE(v["MAKEFLAGS"].find("j3"), std::string::npos) << v["MAKEFLAGS"];
}

TEST_F(BuildDriver, DefaultsAreAReleaseBuildOnEveryCoreWithTheSdkFirst) {
  auto r = build({"OPENMV4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto v = invocation("OPENMV4");
  EXPECT_EQ(v["MAKEOVERRIDES"], "TARGET=OPENMV4");
  EXPECT_EQ(v["DEBUG"], "0");
  EXPECT_NE(v["MAKEFLAGS"].find("j" + std::to_string(std::thread::hardware_concurrency())), std::string::npos)
      << v["MAKEFLAGS"];
  EXPECT_EQ(v["PATH"].rfind((sdk / "gcc/bin").string() + ":" + (sdk / "llvm/bin").string(), 0), 0u) << v["PATH"];
  EXPECT_EQ(v["SDK_DIR"], sdk.string());
  // Even make's $(shell ...) sees the SDK's compiler (GNU make 4.3 would not, from the Makefile's PATH).
  EXPECT_EQ(v["GCC_VERSION"], "14.3.1");
  EXPECT_TRUE(fs::exists(fw / "build/OPENMV4/bin/firmware.elf"));
  // make's output is streamed, then the files with what they are for (from the board data).
  EXPECT_NE(r.out.find("CC firmware.elf"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("firmware.bin"), std::string::npos);
  EXPECT_NE(r.out.find("the firmware (build/<TARGET>/bin/firmware.bin)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("with debug symbols"), std::string::npos) << r.out;
}

TEST_F(BuildDriver, JsonKeepsStdoutForEvents) {
  auto r = build({"OPENMV4", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::istringstream in(r.out);
  json last;
  for (std::string line; std::getline(in, line);) ASSERT_NO_THROW(last = json::parse(line)) << line;
  EXPECT_EQ(last["event"], "result");
  std::set<std::string> files;
  for (const auto& f : last["data"]["files"]) files.insert(f["file"].get<std::string>());
  EXPECT_TRUE(files.count("firmware.elf") && files.count("firmware.bin"));
  EXPECT_NE(r.err.find("CC firmware.elf"), std::string::npos);
}

TEST_F(BuildDriver, TargetIsCheckedAgainstTheCheckout) {
  auto unknown = build({"OPENMV5"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown TARGET 'OPENMV5'"), std::string::npos) << unknown.err;
  EXPECT_NE(unknown.err.find("OPENMV4"), std::string::npos) << unknown.err;
  auto lower = build({"openmv4"});
  EXPECT_EQ(lower.exit_code, 0) << lower.err;
  EXPECT_EQ(invocation("OPENMV4")["TARGET"], "OPENMV4");
  auto old = build({"OPENMV1"});
  EXPECT_EQ(old.exit_code, 15);
  EXPECT_NE(old.err.find("no longer supported"), std::string::npos) << old.err;
  auto two = build({"OPENMV4", "MPS2_AN500"});
  EXPECT_EQ(two.exit_code, 2);
  EXPECT_NE(two.err.find("--all"), std::string::npos) << two.err;
  auto none = build({});
  EXPECT_EQ(none.exit_code, 2);
}

TEST_F(BuildDriver, MissingOrMismatchedSdkNamesTheOneFix) {
  fs::remove_all(sdk);
  auto missing = build({"OPENMV4"});
  EXPECT_EQ(missing.exit_code, 13);
  EXPECT_NE(missing.err.find("OpenMV SDK 1.6.0 not found"), std::string::npos) << missing.err;
  EXPECT_NE(missing.err.find("omv sdk install"), std::string::npos) << missing.err;
  EXPECT_FALSE(fs::exists(fw / "build/OPENMV4"));
  write_file(home / "openmv-sdk-1.5.0/sdk.version", "1.5.0\n");
  auto old = build({"OPENMV4"});
  EXPECT_EQ(old.exit_code, 13);
  EXPECT_NE(old.err.find("version mismatch (installed: 1.5.0, required: 1.6.0)"), std::string::npos) << old.err;
}

TEST_F(BuildDriver, Cm55CheckFiresWithAnOlderGccFirstOnPath) {
  old_gcc_first("13.2.1");
  // With the SDK first on PATH, its GCC 14.3 is the one make uses: fine.
  auto ok = build({"OPENMV_N6"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  // Without the SDK, the older compiler is used: refused, naming it.
  auto refused = build({"OPENMV_N6", "--no-sdk"});
  EXPECT_EQ(refused.exit_code, 13);
  EXPECT_NE(refused.err.find((bin / "arm-none-eabi-gcc").string() + " is GCC 13.2.1"), std::string::npos) << refused.err;
  EXPECT_NE(refused.err.find("14.3"), std::string::npos);
  // An SDK without its compiler: the older one shadows it.
  fs::remove(sdk / "gcc/bin/arm-none-eabi-gcc");
  fs::remove_all(fw / "build");
  auto shadowed = build({"OPENMV_AE3"});
  EXPECT_EQ(shadowed.exit_code, 13);
  EXPECT_NE(shadowed.err.find((bin / "arm-none-eabi-gcc").string()), std::string::npos) << shadowed.err;
  EXPECT_NE(shadowed.err.find((sdk / "gcc/bin/arm-none-eabi-gcc").string()), std::string::npos) << shadowed.err;
  EXPECT_FALSE(fs::exists(fw / "build/OPENMV_AE3"));
  // A Cortex-M7 board does not care, and --allow-old-gcc overrides.
  EXPECT_EQ(build({"OPENMV4", "--no-sdk"}).exit_code, 0);
  auto forced = build({"OPENMV_N6", "--no-sdk", "--allow-old-gcc"});
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_NE(forced.err.find("--allow-old-gcc"), std::string::npos);
}

TEST_F(BuildDriver, MpyCrossIsBuiltFirstWhenMissingOrFromAnotherRevision) {
  fs::path mp = fw / "lib/micropython";
  auto git = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"git", "-C", mp.string(), "-c", "user.name=t", "-c", "user.email=t@t"});
    auto r = run(args);
    ASSERT_EQ(r.exit_code, 0) << r.err;
  };
  git({"init", "-q"});
  git({"add", "."});
  git({"commit", "-q", "-m", "one"});
  fs::path log = mp / "mpy-cross/builds.log";
  ASSERT_EQ(build({"OPENMV4"}).exit_code, 0);
  EXPECT_EQ(read_file(log), "build\n");
  EXPECT_FALSE(invocation("OPENMV4")["MPY_CROSS"].empty());  // it existed when the firmware was built
  ASSERT_EQ(build({"OPENMV4"}).exit_code, 0);
  EXPECT_EQ(read_file(log), "build\n");  // up to date: not touched
  write_file(mp / "py/changed.c", "int x;\n");
  git({"add", "."});
  git({"commit", "-q", "-m", "two"});
  auto r = build({"OPENMV4"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(log), "build\nclean\nbuild\n");
  EXPECT_NE(r.err.find("built from MicroPython"), std::string::npos) << r.err;
}

TEST_F(BuildDriver, BuildAllKeepsGoingAndSummarises) {
  auto r = build({"--all", "OPENMV4", "BROKEN", "MPS2_AN500"});
  EXPECT_EQ(r.exit_code, 16) << r.err;
  EXPECT_TRUE(fs::exists(fw / "build/OPENMV4/bin/firmware.elf"));
  EXPECT_TRUE(fs::exists(fw / "build/MPS2_AN500/bin/firmware.elf"));
  EXPECT_NE(r.err.find("this board does not build"), std::string::npos);  // make's own output
  auto row = [&](const std::string& target) {
    std::istringstream in(r.out);
    for (std::string line; std::getline(in, line);)
      if (line.rfind(target + " ", 0) == 0) return line;
    return std::string();
  };
  EXPECT_NE(row("OPENMV4").find("ok"), std::string::npos) << r.out;
  EXPECT_NE(row("BROKEN").find("FAILED"), std::string::npos) << r.out;
  EXPECT_NE(row("MPS2_AN500").find("ok"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("1 of 3 boards failed"), std::string::npos) << r.err;
}

TEST_F(BuildDriver, BuildAllWithoutNamesBuildsEverySupportedBoard) {
  auto r = build({"--all", "--json", "--", "EXTRA=all"});
  EXPECT_EQ(r.exit_code, 16) << r.err;
  std::istringstream in(r.out);
  json result;
  for (std::string line; std::getline(in, line);) {
    auto j = json::parse(line);
    if (j["event"] == "result") result = j;
  }
  std::map<std::string, bool> ok;
  for (const auto& b : result["data"]["builds"]) ok[b["target"]] = b["ok"];
  EXPECT_EQ(ok, (std::map<std::string, bool>{
                    {"BROKEN", false}, {"MPS2_AN500", true}, {"OPENMV4", true}, {"OPENMV_AE3", true}, {"OPENMV_N6", true}}));
  EXPECT_EQ(invocation("OPENMV_AE3")["EXTRA"], "all");
  EXPECT_TRUE(fs::exists(fw / "build/OPENMV_AE3/bin/firmware_M55_HE.elf"));
}

TEST_F(BuildDriver, CleanRemovesOneBoardAndOptionallyMpyCross) {
  ASSERT_EQ(build({"OPENMV4"}).exit_code, 0);
  ASSERT_EQ(build({"MPS2_AN500"}).exit_code, 0);
  auto r = omv({"clean", "OPENMV4"}, opts());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(fw / "build/OPENMV4"));
  EXPECT_TRUE(fs::exists(fw / "build/MPS2_AN500/bin/firmware.elf"));
  EXPECT_TRUE(fs::exists(fw / "lib/micropython/mpy-cross/build/mpy-cross"));
  r = omv({"clean", "mps2_an500", "--mpy-cross"}, opts());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_FALSE(fs::exists(fw / "build/MPS2_AN500"));
  EXPECT_FALSE(fs::exists(fw / "lib/micropython/mpy-cross/build"));
  EXPECT_EQ(omv({"clean", "NOPE"}, opts()).exit_code, 2);
}

TEST_F(BuildDriver, SubmodulesForOneBoard) {
  auto r = omv({"submodules", "openmv_ae3"}, opts());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_file(fw / "lib/micropython/ports/alif/submodules.log"), "submodules BOARD=OPENMV_AE3\n");
  EXPECT_FALSE(fs::exists(fw / "lib/micropython/ports/stm32/submodules.log"));
}

TEST_F(BuildDriver, CheckoutWithoutAnSdkRequirementUsesTheToolchainOnPath) {
  // A tree whose Makefile does not check sdk.version (like the demo firmware) builds without the SDK.
  fs::remove_all(sdk);
  std::string mk = read_file(fw / "Makefile");
  auto cut = mk.find("ifeq ($(filter clean");
  auto end = mk.find("include $(TOP_DIR)/boards");
  write_file(fw / "Makefile", mk.substr(0, cut) + mk.substr(end));
  auto r = build({"MPS2_AN500"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("does not require it"), std::string::npos) << r.err;
  EXPECT_EQ(invocation("MPS2_AN500")["PATH"].find("openmv-sdk"), std::string::npos);
  // SDK_VERSION "system" says the same explicitly.
  write_file(fw / "SDK_VERSION", "system\n");
  auto sys = build({"OPENMV4"});
  EXPECT_EQ(sys.exit_code, 0) << sys.err;
}

class DockerBuild : public BuildDriver {
 protected:
  fs::path log = tmp / "docker.log";
  void SetUp() override {
    BuildDriver::SetUp();
    // Stands in for the docker client: records every call; `info` answers when DOCKER_ENGINE is set.
    write_executable(bin / "docker",
                     "#!/bin/sh\nprintf '%s\\n' \"$*\" >> \"$DOCKER_LOG\"\n"
                     "if [ \"$1\" = info ]; then\n"
                     "  if [ -n \"$DOCKER_ENGINE\" ]; then echo 27.0.3; exit 0; fi\n"
                     "  echo 'Cannot connect to the Docker daemon at unix:///var/run/docker.sock.' >&2; exit 1\nfi\n");
  }
};

TEST_F(DockerBuild, RunsUpstreamsDevTargetWithSamePathMounts) {
  auto r = build({"--docker", "OPENMV4", "--debug"}, {{"DOCKER_LOG", log.string()}, {"DOCKER_ENGINE", "1"}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> calls;
  std::istringstream in(read_file(log));
  for (std::string line; std::getline(in, line);) calls.push_back(line);
  ASSERT_EQ(calls.size(), 3u) << read_file(log);
  EXPECT_EQ(calls[0], "info --format {{.ServerVersion}}");
  EXPECT_EQ(calls[1].rfind("build -t firmware-builder:latest", 0), 0u);
  const std::string& run_call = calls[2];
  EXPECT_EQ(run_call.rfind("run --rm", 0), 0u) << run_call;
  EXPECT_NE(run_call.find("-e TARGET=OPENMV4"), std::string::npos) << run_call;
  EXPECT_NE(run_call.find("-e SDK_DIR=" + sdk.string()), std::string::npos) << run_call;
  EXPECT_NE(run_call.find("-e BUILD_OPTS=DEBUG=1"), std::string::npos) << run_call;
  EXPECT_NE(run_call.find("-v " + fw.string() + ":" + fw.string()), std::string::npos) << run_call;
  EXPECT_NE(run_call.find("-v " + sdk.string() + ":" + sdk.string()), std::string::npos) << run_call;
}

TEST_F(DockerBuild, WithoutAnEngineSaysSo) {
  auto down = build({"--docker", "OPENMV4"}, {{"DOCKER_LOG", log.string()}});
  EXPECT_EQ(down.exit_code, 15);
  EXPECT_NE(down.err.find("Docker engine does not answer"), std::string::npos) << down.err;
  EXPECT_NE(down.err.find("Cannot connect"), std::string::npos) << down.err;
  fs::remove(bin / "docker");
  auto absent = build({"--docker", "OPENMV4"});
  EXPECT_EQ(absent.exit_code, 15);
  EXPECT_NE(absent.err.find("docker is not installed"), std::string::npos) << absent.err;
  EXPECT_FALSE(fs::exists(fw / "build/OPENMV4"));
}

}  // namespace
}  // namespace omv::test::build_driver_test
