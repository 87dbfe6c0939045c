// The board commands, run as a user would run them.
#include <gtest/gtest.h>
#include <set>
#include <nlohmann/json.hpp>

#include "support/run.h"

namespace omv::test::boards_cli_test {
namespace {

using nlohmann::json;

json partition(const json& board, const std::string& name) {
  for (const auto& p : board["partitions"])
    if (p["name"] == name) return p;
  ADD_FAILURE() << "no partition " << name;
  return {};
}

TEST(BoardsCli, JsonListsEveryTarget) {
  auto r = omv({"boards", "--json"}, in_dir("/"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto doc = json::parse(r.out);
  ASSERT_TRUE(doc.is_array());
  std::set<std::string> targets;
  for (const auto& b : doc) targets.insert(b["target"].get<std::string>());
  EXPECT_EQ(targets.size(), 17u);
  for (const char* t : {"OPENMV1", "OPENMV_RT1060", "ARDUINO_NANO_RP2040_CONNECT", "MPS3_AN547", "RPI_PICO"}) EXPECT_TRUE(targets.count(t)) << t;
}

TEST(BoardsCli, OpenMv4PartitionsAsTheBootloaderHasThem) {
  auto r = omv({"board", "OPENMV4", "--json"}, in_dir("/"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto b = json::parse(r.out);
  EXPECT_EQ(b["target"], "OPENMV4");
  EXPECT_EQ(b["bootloader_type"], "openmv_dfu");
  EXPECT_EQ(b["usb"]["bootloader"], "37C5:9204");
  EXPECT_EQ(b["debug"]["jlink_device"], "STM32H743VI");
  auto boot = partition(b, "BOOTLOADER");
  EXPECT_EQ(boot["alt"], 0);
  EXPECT_EQ(boot["start"], 0x08000000);
  EXPECT_EQ(boot["end"], 0x08020000);
  EXPECT_EQ(boot["read_only"], true);
  EXPECT_EQ(partition(b, "FILESYSTEM")["start"], 0x08020000);
  EXPECT_EQ(partition(b, "FIRMWARE")["end"], 0x081E0000);
  auto romfs = partition(b, "ROMFS0");
  EXPECT_EQ(romfs["alt"], 3);
  EXPECT_EQ(romfs["start"], 0x081E0000);
  EXPECT_EQ(romfs["end"], 0x08200000);
}

TEST(BoardsCli, TargetsAreCaseInsensitive) {
  auto r = omv({"board", "openmv4p", "--json"}, in_dir("/"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto romfs = partition(json::parse(r.out), "ROMFS0");
  EXPECT_EQ(romfs["alt"], 4);
  EXPECT_EQ(romfs["memory"], "qspi");
  EXPECT_EQ(romfs["start"], 0x1800000);
  EXPECT_EQ(romfs["end"], 0x2000000);
}

TEST(BoardsCli, Ae3HasItsEightAlts) {
  auto b = json::parse(omv({"board", "OPENMV_AE3", "--json"}, in_dir("/")).out);
  std::vector<std::string> names;
  for (const auto& p : b["partitions"]) names.push_back(p["name"]);
  EXPECT_EQ(names, (std::vector<std::string>{"BOOT", "HP", "HE", "ROMFS1", "TOC", "RWFS", "ROMFS0", "RECOVERY"}));
}

TEST(BoardsCli, UnknownTargetExitsTwoWithSuggestions) {
  auto r = omv({"board", "OPENMV5"}, in_dir("/"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown TARGET 'OPENMV5'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("OPENMV4"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("omv boards"), std::string::npos) << r.err;
}

TEST(BoardsCli, HumanTableShowsHexRanges) {
  auto r = omv({"board", "OPENMV4"}, in_dir("/"));
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("0x08040000  0x081E0000  1.6 MiB"), std::string::npos) << r.out;
}

TEST(BoardsCli, BadBoardDirectoryRefusesToStart) {
  TempDir dir;
  std::string good = read_file(std::string(OMV_SOURCE_DIR) + "/boards/OPENMV4.json");
  const std::string field = "\"end\": \"0x08040000\"";
  auto pos = good.find(field);
  ASSERT_NE(pos, std::string::npos);
  write_file(dir / "OPENMV4.json", good.replace(pos, field.size(), "\"end\": \"0x0804000g\""));
  auto r = omv({"--boards", dir.path().string(), "boards"}, in_dir("/"));
  EXPECT_EQ(r.exit_code, 4);
  // One line naming the file, the board and the field.
  EXPECT_NE(r.err.find("OPENMV4.json: OPENMV4: partitions[1].end: bad number"), std::string::npos) << r.err;
}

TEST(BoardsCli, CheckoutBoardsAreListedAndCompared) {
  std::string repo = std::string(OMV_SOURCE_DIR) + "/tests/fixtures/checkout";
  auto r = omv({"boards"}, in_dir(repo + "/boards/OPENMV4"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("MYBOARD"), std::string::npos);
  auto j = json::parse(omv({"--repo", repo, "board", "OPENMV1", "--json"}).out);
  EXPECT_EQ(j["checkout"]["supported"], false);
  EXPECT_NE(j["checkout"]["unsupported_reason"].get<std::string>().find("no longer supported"), std::string::npos);
  auto n6 = json::parse(omv({"--repo", repo, "board", "OPENMV_N6", "--json"}).out);
  EXPECT_TRUE(n6["checkout"]["disagreements"].empty()) << n6["checkout"]["disagreements"].dump();
}

TEST(BoardsCli, VersionHelpAndCompletion) {
  auto v = omv({"--version"});
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_NE(v.out.find("omv "), std::string::npos);
  auto h = omv({"help", "board"});
  EXPECT_EQ(h.exit_code, 0);
  EXPECT_NE(h.out.find("TARGET"), std::string::npos);
  EXPECT_EQ(omv({"help", "nosuchcommand"}).exit_code, 2);
  auto c = omv({"completion", "bash"}, in_dir("/"));
  ASSERT_EQ(c.exit_code, 0);
  EXPECT_NE(c.out.find("complete -o default -F _omv omv"), std::string::npos);
  EXPECT_NE(c.out.find("OPENMV_AE3"), std::string::npos);
  // The script is valid bash.
  TempDir dir;
  write_file(dir / "c.sh", c.out);
  EXPECT_EQ(run({"bash", "-n", (dir / "c.sh").string()}).exit_code, 0);
}

TEST(BoardsCli, NoCommandIsAUsageError) {
  auto r = omv({});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(omv({"frobnicate"}).exit_code, 2);
}

}  // namespace
}  // namespace omv::test::boards_cli_test
