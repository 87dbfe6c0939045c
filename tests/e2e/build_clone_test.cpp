// omv clone against local git repositories with submodules (file:// URLs: there is no internet
// here), and the real demo firmware when it is in the tree.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/text.h"
#include "support/run.h"
#include "support/sdk_fixture.h"

namespace omv::test::build_clone_test {
namespace {

namespace fs = std::filesystem;

// Submodules over file:// are off by default in git >= 2.38.1; allow them for these processes only.
std::map<std::string, std::string> git_env() {
  return {{"GIT_CONFIG_COUNT", "3"},          {"GIT_CONFIG_KEY_0", "protocol.file.allow"},
          {"GIT_CONFIG_VALUE_0", "always"},   {"GIT_CONFIG_KEY_1", "user.name"},
          {"GIT_CONFIG_VALUE_1", "omv test"}, {"GIT_CONFIG_KEY_2", "user.email"},
          {"GIT_CONFIG_VALUE_2", "test@omv"}, {"GIT_TERMINAL_PROMPT", "0"}};
}

std::string command(const std::vector<std::string>& args) { return join(args, " "); }

void git(const fs::path& dir, std::vector<std::string> args) {
  args.insert(args.begin(), {"git", "-C", dir.string()});
  RunOptions o;
  o.env = git_env();
  auto r = run(args, o);
  ASSERT_EQ(r.exit_code, 0) << command(args) << "\n" << r.err;
}

std::string url(const fs::path& p) { return "file://" + p.string(); }

class Clone : public ::testing::Test {
 protected:
  TempDir tmp;
  fs::path repos = tmp / "repos";

  // openmv (2 commits) with submodules lib/micropython (itself with lib/mplib) and drivers.
  void SetUp() override {
    auto make_repo = [&](const std::string& name, std::map<std::string, std::string> files) {
      fs::path dir = repos / name;
      for (auto& [path, text] : files) write_file(dir / path, text);
      git(dir, {"init", "-q", "-b", "main"});
      git(dir, {"add", "."});
      git(dir, {"commit", "-q", "-m", "first"});
      return dir;
    };
    make_repo("mplib", {{"mplib.c", "int mplib;\n"}});
    make_repo("drivers", {{"driver.c", "int driver;\n"}});
    auto mp = make_repo("micropython", {{"py/obj.c", "int obj;\n"},
                                        {"ports/stm32/Makefile",
                                         "submodules:\n\tcd ../.. && git submodule update --init lib/mplib\n"
                                         "\t@echo \"submodules BOARD=$(BOARD)\" > $(CURDIR)/submodules.log\n"}});
    git(mp, {"submodule", "add", "-q", url(repos / "mplib"), "lib/mplib"});
    git(mp, {"commit", "-q", "-m", "mplib"});
    auto openmv = make_repo("openmv", {{"SDK_VERSION", "1.6.0\n"},
                                       {"Makefile", "all:\n"},
                                       {"boards/OPENMV4/board_config.mk", "CPU=cortex-m7\nPORT=stm32\n"}});
    git(openmv, {"submodule", "add", "-q", url(mp), "lib/micropython"});
    git(openmv, {"submodule", "add", "-q", url(repos / "drivers"), "drivers"});
    git(openmv, {"commit", "-q", "-m", "submodules"});
  }
  RunResult clone(std::vector<std::string> args) {
    args.insert(args.begin(), "clone");
    RunOptions o;
    o.cwd = tmp.path();
    o.env = git_env();
    return omv(args, o);
  }
  int commits(const fs::path& dir) {
    auto r = run({"git", "-C", dir.string(), "rev-list", "--count", "HEAD"});
    return std::stoi(r.out);
  }
};

TEST_F(Clone, FastPathIsShallowWithEverySubmodule) {
  auto r = clone({"fast", "--url", url(repos / "openmv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  fs::path dir = tmp / "fast";
  EXPECT_EQ(commits(dir), 1);  // depth 1
  EXPECT_TRUE(fs::exists(dir / "lib/micropython/py/obj.c"));
  EXPECT_TRUE(fs::exists(dir / "drivers/driver.c"));
  EXPECT_TRUE(fs::exists(dir / "lib/micropython/lib/mplib/mplib.c"));  // MicroPython's own submodules
  EXPECT_NE(r.err.find("--no-single-branch"), std::string::npos) << r.err;
  EXPECT_NE(r.out.find("omv sdk install"), std::string::npos) << r.out;
}

TEST_F(Clone, FullIsRecursiveWithHistory) {
  auto r = clone({"full", "--full", "--url", url(repos / "openmv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(commits(tmp / "full"), 2);
  EXPECT_TRUE(fs::exists(tmp / "full/lib/micropython/lib/mplib/mplib.c"));
  EXPECT_TRUE(fs::exists(tmp / "full/drivers/driver.c"));
}

TEST_F(Clone, BoardFetchesOnlyWhatThatBoardNeeds) {
  auto r = clone({"one", "--board", "openmv4", "--url", url(repos / "openmv")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  fs::path dir = tmp / "one";
  EXPECT_EQ(commits(dir), 1);
  EXPECT_TRUE(fs::exists(dir / "lib/micropython/py/obj.c"));
  EXPECT_TRUE(fs::exists(dir / "lib/micropython/lib/mplib/mplib.c"));
  EXPECT_EQ(read_file(dir / "lib/micropython/ports/stm32/submodules.log"), "submodules BOARD=OPENMV4\n");
  EXPECT_FALSE(fs::exists(dir / "drivers/driver.c"));  // not this board's
}

TEST_F(Clone, Refusals) {
  write_file(tmp / "busy/file", "x");
  auto busy = clone({"busy", "--url", url(repos / "openmv")});
  EXPECT_EQ(busy.exit_code, 9) << busy.err;
  auto bad = clone({"nowhere", "--url", url(repos / "missing")});
  EXPECT_EQ(bad.exit_code, 11) << bad.err;
  auto board = clone({"b", "--board", "OPENMV5", "--url", url(repos / "openmv")});
  EXPECT_EQ(board.exit_code, 2) << board.err;
  EXPECT_NE(board.err.find("OPENMV4"), std::string::npos) << board.err;
}

// The demo firmware of the debug loop, built the way its README says, without any SDK.
TEST(DemoFirmware, BuildsWithDebugAndSizes) {
  fs::path demo = fs::path(OMV_SOURCE_DIR) / "examples/firmware";
  if (!fs::exists(demo / "Makefile")) GTEST_SKIP() << "no examples/firmware in this tree";
  TempDir tmp;
  fs::path copy = tmp / "firmware";
  fs::create_directories(copy);
  for (const auto& entry : fs::directory_iterator(demo))
    if (entry.path().filename() != "build") fs::copy(entry.path(), copy / entry.path().filename(), fs::copy_options::recursive);
  RunOptions o;
  o.cwd = tmp.path();
  o.env = {{"HOME", (tmp / "home").string()}, {"SDK_DIR", ""}};
  fs::create_directories(tmp / "home");
  auto r = omv({"build", "MPS2_AN500", "--repo", copy.string(), "--debug"}, o);
  ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
  fs::path elf = copy / "build/MPS2_AN500/bin/firmware.elf";
  ASSERT_TRUE(fs::exists(elf));
  auto headers = run({"arm-none-eabi-objdump", "-h", elf.string()});
  EXPECT_NE(headers.out.find(".debug_info"), std::string::npos);
  auto size = omv({"size", "MPS2_AN500", "--repo", copy.string(), "--json"}, o);
  ASSERT_EQ(size.exit_code, 0) << size.err;
  auto doc = nlohmann::json::parse(size.out);
  EXPECT_GT(doc["elfs"][0]["flash_used"].get<uint64_t>(), 0u);
}

}  // namespace
}  // namespace omv::test::build_clone_test
