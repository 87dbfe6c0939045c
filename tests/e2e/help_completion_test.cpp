// What a person reads and what a shell completes: `omv help` grouped by task with examples, and
// the bash, zsh and fish completion scripts run in the real shells.
#include <gtest/gtest.h>

#include <filesystem>

#include "support/run.h"

namespace omv::test::help_completion_test {
namespace {

namespace fs = std::filesystem;

const char* const every_command[] = {"doctor", "sdk",    "clone", "udev",       "boards",  "board",   "build", "clean",
                                     "size",   "submodules", "list", "flash",  "erase-fs", "read",   "verify", "log", "bootloader",
                                     "recover", "debug", "deploy", "vscode", "image",     "dfu",     "uf2",     "romfs", "sim",
                                     "help",   "completion"};

// A PATH whose `omv` is the binary under test (the scripts call omv for the serials).
std::string path_with_omv() { return fs::path(OMV_BINARY).parent_path().string() + ":" + std::getenv("PATH"); }

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

bool has_line_starting(const std::string& text, const std::string& prefix) {
  for (const auto& l : lines_of(text))
    if (l.rfind(prefix, 0) == 0) return true;
  return false;
}

TEST(HelpText, OverviewIsGroupedByTaskInOrderWithFirstSteps) {
  auto h = omv({"help"}, in_dir("/"));
  ASSERT_EQ(h.exit_code, 0) << h.err;
  size_t last = 0;
  for (const char* group : {"Set up:", "Build:", "Flash:", "Recover:", "Debug:", "Files:", "Virtual cameras:", "Help:"}) {
    size_t at = h.out.find(std::string("\n") + group + "\n");
    ASSERT_NE(at, std::string::npos) << group << "\n" << h.out;
    EXPECT_GT(at, last) << group << " is out of order";
    last = at;
  }
  // Each command once, under its task: flash after "Flash:", recover after "Recover:".
  EXPECT_GT(h.out.find("\n  flash "), h.out.find("\nFlash:\n"));
  EXPECT_LT(h.out.find("\n  flash "), h.out.find("\nRecover:\n"));
  EXPECT_GT(h.out.find("\n  recover "), h.out.find("\nRecover:\n"));
  EXPECT_NE(h.out.find("First steps:\n  omv doctor"), std::string::npos) << h.out;
  // Bare omv shows the same overview (as a usage error: it did nothing).
  auto bare = omv({}, in_dir("/"));
  EXPECT_EQ(bare.exit_code, 2);
  EXPECT_NE(bare.err.find("\nVirtual cameras:\n"), std::string::npos) << bare.err;
}

TEST(HelpText, EveryCommandHasExamplesThatUseIt) {
  for (const char* name : every_command) {
    auto h = omv({"help", name}, in_dir("/"));
    ASSERT_EQ(h.exit_code, 0) << name << ": " << h.err;
    size_t at = h.out.find("Examples:\n");
    ASSERT_NE(at, std::string::npos) << name << "\n" << h.out;
    std::string examples = h.out.substr(at);
    EXPECT_NE(examples.find(std::string(" ") + name), std::string::npos) << name << "\n" << examples;
  }
  auto start = omv({"help", "sim", "start"}, in_dir("/"));
  ASSERT_EQ(start.exit_code, 0) << start.err;
  EXPECT_NE(start.out.find("--mode"), std::string::npos) << start.out;
  auto wrong = omv({"help", "sim", "strat"}, in_dir("/"));
  EXPECT_EQ(wrong.exit_code, 2);
  EXPECT_NE(wrong.err.find("no command 'strat' in omv sim"), std::string::npos) << wrong.err;
  EXPECT_NE(wrong.err.find("did you mean start"), std::string::npos) << wrong.err;
}

class Completion : public ::testing::Test {
 protected:
  fs::path script(const std::string& shell) {
    auto c = omv({"completion", shell}, in_dir("/"));
    EXPECT_EQ(c.exit_code, 0) << c.err;
    fs::path file = dir_ / ("omv." + shell);
    write_file(file, c.out);
    return file;
  }
  RunOptions env() const {
    RunOptions o = in_dir(dir_.path());
    o.env["PATH"] = path_with_omv();
    o.env["OMV_SIM"] = bus_.path().string();
    return o;
  }
  void start_camera(const std::string& serial) {
    auto r = omv({"sim", "start", "OPENMV4", "--bus", bus_.path().string(), "--serial", serial, "--time-scale", "0"});
    ASSERT_EQ(r.exit_code, 0) << r.err;
    started_.push_back(serial);
  }
  void TearDown() override {
    for (const auto& s : started_) omv({"sim", "stop", s, "--bus", bus_.path().string()});
  }
  TempDir dir_, bus_;
  std::vector<std::string> started_;
};

TEST_F(Completion, BashCompletesCommandsOptionsTargetsAndAttachedSerials) {
  start_camera("TABCAM7");
  auto file = script("bash");
  auto complete = [&](const std::string& words, int cword) {
    std::string cmd = "source " + file.string() + "; COMP_WORDS=(" + words + "); COMP_CWORD=" + std::to_string(cword) +
                      "; _omv; printf '%s\\n' \"${COMPREPLY[@]}\"";
    auto r = run({"bash", "-c", cmd}, env());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  };
  EXPECT_TRUE(has_line_starting(complete("omv fla", 1), "flash"));
  EXPECT_TRUE(has_line_starting(complete("omv flash --fir", 2), "--firmware"));
  auto targets = complete("omv flash OPENMV_", 2);
  EXPECT_TRUE(has_line_starting(targets, "OPENMV_AE3")) << targets;
  EXPECT_FALSE(has_line_starting(targets, "--firmware"));
  EXPECT_TRUE(has_line_starting(complete("omv sim st", 2), "start"));
  // The global --sim takes a value: the word after it is not the command.
  EXPECT_TRUE(has_line_starting(complete("omv --sim /tmp/bus erase-fs --dry", 4), "--dry-run"));
  EXPECT_EQ(complete("omv flash OPENMV4 --serial TAB", 4), "TABCAM7\n");
}

TEST_F(Completion, FishCompletesWhatBashDoes) {
  start_camera("FISHCAM2");
  auto file = script("fish");
  EXPECT_EQ(run({"fish", "-n", file.string()}).exit_code, 0);
  auto complete = [&](const std::string& line) {
    auto r = run({"fish", "--no-config", "-c", "source " + file.string() + "; complete -C '" + line + "'"}, env());
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  };
  auto commands = complete("omv fla");
  EXPECT_TRUE(has_line_starting(commands, "flash\t")) << commands;  // with its summary
  EXPECT_TRUE(has_line_starting(complete("omv flash --fir"), "--firmware"));
  EXPECT_TRUE(has_line_starting(complete("omv debug OPENMV_R"), "OPENMV_RT1060"));
  auto serials = complete("omv flash OPENMV4 --serial ");
  EXPECT_TRUE(has_line_starting(serials, "FISHCAM2")) << serials;
}

TEST_F(Completion, ZshScriptIsValidAndRegistersItself) {
  auto file = script("zsh");
  EXPECT_EQ(run({"zsh", "-n", file.string()}).exit_code, 0);
  // Sourced after compinit, it registers _omv for omv.
  auto r = run({"zsh", "-f", "-c", "autoload -Uz compinit && compinit -u && source " + file.string() +
                                      " && print -r -- ${_comps[omv]}"},
               env());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "_omv\n");
  EXPECT_EQ(omv({"completion", "tcsh"}).exit_code, 2);
}

TEST_F(Completion, ListSerialsPrintsEachAttachedSerialOnce) {
  start_camera("SER1");
  start_camera("SER2");
  auto r = omv({"list", "--serials"}, env());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "SER1\nSER2\n");
}

}  // namespace
}  // namespace omv::test::help_completion_test
