// omv doctor on this machine, with the PATH and HOME it is given.
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "support/run.h"
#include "support/sdk_fixture.h"

namespace omv::test::sdk_doctor_test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

json check(const json& doc, const std::string& name) {
  for (const auto& c : doc["checks"])
    if (c["name"] == name) return c;
  ADD_FAILURE() << "no check " << name;
  return json::object();
}

class Doctor : public ::testing::Test {
 protected:
  TempDir tmp;
  fs::path home = tmp / "home";
  fs::path bin = tmp / "bin";
  void SetUp() override {
    fs::create_directories(home);
    fs::create_directories(bin);
    for (const char* tool : {"make", "git", "sh"})
      if (auto p = run({"sh", "-c", std::string("command -v ") + tool}); p.exit_code == 0)
        fs::create_symlink(std::string(trim_nl(p.out)), bin / tool);
  }
  static std::string trim_nl(std::string s) {
    while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
    return s;
  }
  RunResult doctor(const fs::path& cwd, const std::string& path, std::vector<std::string> extra = {}) {
    std::vector<std::string> args{"doctor"};
    args.insert(args.end(), extra.begin(), extra.end());
    RunOptions o;
    o.cwd = cwd;
    o.env = {{"HOME", home.string()}, {"SDK_DIR", ""}, {"PATH", path}};
    return omv(args, o);
  }
};

TEST_F(Doctor, EveryCheckHasAVerdictAndProblemsHaveFixes) {
  auto r = doctor(tmp.path(), bin.string() + ":/usr/bin:/bin", {"--json"});
  auto doc = json::parse(r.out);
  int problems = 0;
  for (const auto& c : doc["checks"]) {
    std::string s = c["status"];
    EXPECT_TRUE(s == "ok" || s == "warning" || s == "problem") << s;
    if (s != "ok") {
      EXPECT_TRUE(c.contains("fix")) << c.dump();
    }
    problems += s == "problem";
  }
  EXPECT_EQ(doc["problems"], problems);
  EXPECT_EQ(r.exit_code, problems ? 1 : 0);
  for (const char* name : {"host", "checkout", "sdk", "compiler", "gdb", "qemu", "make", "git", "docker"})
    check(doc, name);
  EXPECT_EQ(check(doc, "gdb")["status"], "ok");  // gdb-multiarch is installed here
  EXPECT_EQ(check(doc, "checkout")["status"], "warning");
  EXPECT_EQ(check(doc, "sdk")["status"], "warning");
  if (geteuid() == 0) {
    EXPECT_EQ(check(doc, "groups")["status"], "ok");
  }
}

TEST_F(Doctor, SdkProblemInACheckoutAndItsFix) {
  fs::path fw = tmp / "fw";
  fs::copy(fs::path(OMV_SOURCE_DIR) / "tests/fixtures/firmware-tree", fw, fs::copy_options::recursive);
  auto r = doctor(fw, bin.string() + ":/usr/bin:/bin", {"--json"});
  EXPECT_EQ(r.exit_code, 1);
  auto doc = json::parse(r.out);
  auto sdk = check(doc, "sdk");
  EXPECT_EQ(sdk["status"], "problem");
  EXPECT_NE(sdk["message"].get<std::string>().find("OpenMV SDK 1.6.0 not found"), std::string::npos);
  EXPECT_EQ(sdk["fix"], "omv sdk install");
  // Debian's GCC 12.2 on PATH cannot build the Cortex-M55 boards.
  auto compiler = check(doc, "compiler");
  EXPECT_EQ(compiler["status"], "warning");
  EXPECT_NE(compiler["message"].get<std::string>().find("/usr/bin/arm-none-eabi-gcc"), std::string::npos);

  write_file(home / "openmv-sdk-1.6.0/sdk.version", "1.6.0\n");
  write_executable(home / "openmv-sdk-1.6.0/gcc/bin/arm-none-eabi-gcc", "#!/bin/sh\necho 14.3.1\n");
  auto human = doctor(fw, bin.string() + ":/usr/bin:/bin");
  EXPECT_NE(human.out.find("ok       sdk"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("warning  compiler"), std::string::npos) << human.out;
  EXPECT_NE(human.out.find("fix: use 'omv build'"), std::string::npos) << human.out;
}

TEST_F(Doctor, MissingQemuIsAWarningWithTheAptCommand) {
  auto r = doctor(tmp.path(), bin.string(), {"--json"});  // nothing but make, git and sh
  auto doc = json::parse(r.out);
  auto qemu = check(doc, "qemu");
  EXPECT_EQ(qemu["status"], "warning");
  EXPECT_EQ(qemu["fix"], "sudo apt install qemu-system-arm");
  EXPECT_EQ(check(doc, "gdb")["status"], "problem");
  EXPECT_EQ(r.exit_code, 1);
}

}  // namespace
}  // namespace omv::test::sdk_doctor_test
