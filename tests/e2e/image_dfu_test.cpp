// omv dfu pack / dfu suffix against Debian's dfuse-pack and dfu-suffix (package dfu-util).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "image_support.h"

namespace omv::test::image_dfu_test {
namespace {

using nlohmann::json;

TEST(ImageDfu, PackOneElementIsTheReferenceFileAndDfusePacksOutput) {
  TempDir d;
  write_bytes(d / "d.bin", {0xDE, 0xAD, 0xBE, 0xEF});
  auto r = omv({"dfu", "pack", "-o", (d / "omv.dfu").string(), "0x08000000:" + (d / "d.bin").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  must({"dfuse-pack", "-b", "0x08000000:" + (d / "d.bin").string(), "-D", "0x0483:0xdf11", (d / "ref.dfu").string()});
  auto mine = read_bytes(d / "omv.dfu");
  EXPECT_EQ(mine, read_bytes(d / "ref.dfu"));
  ASSERT_EQ(mine.size(), 313u);  // protocols.md 2.6 example B
  const Bytes tail = {0x00, 0x00, 0x11, 0xdf, 0x83, 0x04, 0x1a, 0x01, 0x55, 0x46, 0x44, 0x10, 0x11, 0xad, 0x1a, 0xbb};
  EXPECT_TRUE(std::equal(tail.begin(), tail.end(), mine.end() - 16));
}

TEST(ImageDfu, PackSeveralElementsAndAltsLikeDfusePack) {
  TempDir d;
  write_bytes(d / "a.bin", pattern(5000, 1));
  write_bytes(d / "b.bin", pattern(1, 2));
  write_bytes(d / "c.bin", pattern(70001, 3));
  write_bytes(d / "e.bin", {});
  const std::vector<std::string> inputs = {"0x08000000:" + (d / "a.bin").string(),   "0x08020000:" + (d / "b.bin").string(),
                                           "0x90000000@1:" + (d / "c.bin").string(), "134479872@1:" + (d / "e.bin").string(),
                                           "0x08040000:" + (d / "a.bin").string()};
  std::vector<std::string> ref = {"dfuse-pack", "-D", "0x37C5:0x9204"};
  for (const auto& i : inputs) ref.insert(ref.end(), {"-b", i});
  ref.push_back((d / "ref.dfu").string());
  must(ref);
  std::vector<std::string> args = {"dfu", "pack", "--vid", "37C5", "--pid", "0x9204", "-o", (d / "omv.dfu").string()};
  args.insert(args.end(), inputs.begin(), inputs.end());
  auto r = omv(args);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(read_bytes(d / "omv.dfu"), read_bytes(d / "ref.dfu"));

  auto info = omv({"image", "info", (d / "omv.dfu").string(), "--json"});
  ASSERT_EQ(info.exit_code, 0) << info.err;
  auto j = json::parse(info.out);
  EXPECT_EQ(j["format"], "dfuse");
  ASSERT_EQ(j["targets"].size(), 3u);  // alt 0, alt 1, alt 0 again: consecutive runs, as dfuse-pack
  EXPECT_EQ(j["targets"][1]["alt"], 1);
  EXPECT_EQ(j["targets"][1]["elements"][0]["address"], 0x90000000u);
  EXPECT_EQ(j["targets"][1]["elements"][0]["size"], 70001);
  EXPECT_EQ(j["suffix"]["vendor"], 0x37C5);
  EXPECT_EQ(j["suffix"]["crc_ok"], true);
}

TEST(ImageDfu, PackAnElfGivesTheElementsOfItsLoadImage) {
  TempDir d;
  auto elf = make_elf(d, "fw", kFirmwareC, firmware_ld("0x08040000"));
  must({"arm-none-eabi-objcopy", "-O", "binary", elf.string(), (d / "fw.bin").string()});
  must({"dfuse-pack", "-b", "0x08040000:" + (d / "fw.bin").string(), (d / "ref.dfu").string()});
  auto r = omv({"dfu", "pack", "-o", (d / "omv.dfu").string(), elf.string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto info = json::parse(omv({"image", "info", (d / "omv.dfu").string(), "--json"}).out);
  // The load image has holes (alignment): each contiguous run is an element, and together they
  // hold exactly objcopy's bytes.
  auto bin = read_bytes(d / "fw.bin");
  auto dfu = read_bytes(d / "omv.dfu");
  size_t covered = 0;
  for (const auto& e : info["targets"][0]["elements"]) {
    const size_t at = e["address"].get<size_t>() - 0x08040000, size = e["size"], off = e["offset"];
    ASSERT_LE(at + size, bin.size());
    EXPECT_TRUE(std::equal(dfu.begin() + static_cast<long>(off), dfu.begin() + static_cast<long>(off + size), bin.begin() + static_cast<long>(at)));
    covered += size;
  }
  EXPECT_GT(covered, 300u);
  if (info["targets"][0]["elements"].size() == 1) {
    EXPECT_EQ(dfu, read_bytes(d / "ref.dfu"));
  }
}

TEST(ImageDfu, PackRefusesABinaryThatCarriesASuffix) {
  TempDir d;
  write_bytes(d / "a.bin", pattern(64, 4));
  ASSERT_EQ(omv({"dfu", "suffix", "add", (d / "a.bin").string()}).exit_code, 0);
  auto r = omv({"dfu", "pack", "-o", (d / "x.dfu").string(), "0x08000000:" + (d / "a.bin").string()});
  EXPECT_EQ(r.exit_code, 9) << r.err;
  EXPECT_NE(r.err.find("DFU suffix"), std::string::npos);
  EXPECT_FALSE(std::filesystem::exists(d / "x.dfu"));
}

TEST(ImageDfu, OmvSuffixIsAcceptedByDfuSuffixAndIdenticalToIt) {
  TempDir d;
  const Bytes data = pattern(1234, 5);
  write_bytes(d / "omv.bin", data);
  write_bytes(d / "ref.bin", data);
  auto r = omv({"dfu", "suffix", "add", (d / "omv.bin").string(), "--vid", "37c5", "--pid", "9204", "--bcd", "0103"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto check = run({"dfu-suffix", "-c", (d / "omv.bin").string()});
  EXPECT_EQ(check.exit_code, 0) << check.err;
  EXPECT_NE(check.out.find("Vendor ID:\t0x37C5"), std::string::npos) << check.out;
  must({"dfu-suffix", "-v", "37c5", "-p", "9204", "-d", "0103", "-a", (d / "ref.bin").string()});
  EXPECT_EQ(read_bytes(d / "omv.bin"), read_bytes(d / "ref.bin"));
  // dfu-suffix -D takes omv's suffix off again.
  must({"dfu-suffix", "-D", (d / "omv.bin").string()});
  EXPECT_EQ(read_bytes(d / "omv.bin"), data);
}

TEST(ImageDfu, DfuSuffixOutputIsAcceptedByOmv) {
  TempDir d;
  const Bytes data = pattern(777, 6);
  write_bytes(d / "f.bin", data);
  must({"dfu-suffix", "-v", "0483", "-p", "df11", "-a", (d / "f.bin").string()});
  auto check = omv({"dfu", "suffix", "check", (d / "f.bin").string(), "--json"});
  ASSERT_EQ(check.exit_code, 0) << check.err;
  auto j = json::parse(check.out);
  EXPECT_EQ(j["vendor"], 0x0483);
  EXPECT_EQ(j["product"], 0xDF11);
  EXPECT_EQ(j["bcd_device"], 0xFFFF);
  EXPECT_EQ(j["bcd_dfu"], 0x0100);
  EXPECT_EQ(j["crc_ok"], true);
  auto info = json::parse(omv({"image", "info", (d / "f.bin").string(), "--json"}).out);
  EXPECT_EQ(info["format"], "dfu_suffix");
  EXPECT_EQ(info["payload_size"], 777);
  ASSERT_EQ(omv({"dfu", "suffix", "remove", (d / "f.bin").string()}).exit_code, 0);
  EXPECT_EQ(read_bytes(d / "f.bin"), data);
}

TEST(ImageDfu, SuffixCheckFailures) {
  TempDir d;
  write_bytes(d / "plain.bin", pattern(100, 7));
  auto none = omv({"dfu", "suffix", "check", (d / "plain.bin").string()});
  EXPECT_EQ(none.exit_code, 3);
  EXPECT_NE(none.err.find("offset 92"), std::string::npos) << none.err;
  write_bytes(d / "bad.bin", pattern(100, 7));
  ASSERT_EQ(omv({"dfu", "suffix", "add", (d / "bad.bin").string()}).exit_code, 0);
  auto b = read_bytes(d / "bad.bin");
  b[3] ^= 0xFF;
  write_bytes(d / "bad.bin", b);
  auto crc = omv({"dfu", "suffix", "check", (d / "bad.bin").string()});
  EXPECT_EQ(crc.exit_code, 12) << crc.err;
  EXPECT_EQ(run({"dfu-suffix", "-c", (d / "bad.bin").string()}).exit_code != 0, true);
  // Adding a second suffix to a file that has a valid one is refused, as dfu-suffix does.
  write_bytes(d / "twice.bin", pattern(10, 8));
  ASSERT_EQ(omv({"dfu", "suffix", "add", (d / "twice.bin").string()}).exit_code, 0);
  EXPECT_EQ(omv({"dfu", "suffix", "add", (d / "twice.bin").string()}).exit_code, 9);
}

TEST(ImageDfu, TruncatedDfuseFileNamesTheOffset) {
  TempDir d;
  write_bytes(d / "a.bin", pattern(4000, 9));
  must({"dfuse-pack", "-b", "0x08000000:" + (d / "a.bin").string(), (d / "full.dfu").string()});
  auto full = read_bytes(d / "full.dfu");
  // Cut inside the element, and again with a suffix re-added so only the element is short.
  write_bytes(d / "cut.dfu", Bytes(full.begin(), full.begin() + 1000));
  auto r = omv({"image", "info", (d / "cut.dfu").string()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("offset"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("DfuSe"), std::string::npos) << r.err;
  Bytes body(full.begin(), full.begin() + 1000);
  write_bytes(d / "short.dfu", body);
  ASSERT_EQ(omv({"dfu", "suffix", "add", (d / "short.dfu").string(), "--spec", "011a"}).exit_code, 0);
  auto s = omv({"image", "info", (d / "short.dfu").string()});
  EXPECT_EQ(s.exit_code, 3);
  EXPECT_NE(s.err.find("offset 293"), std::string::npos) << s.err;  // the element's data
  EXPECT_NE(s.err.find("element 0 of target 0"), std::string::npos) << s.err;
}

}  // namespace
}  // namespace omv::test::image_dfu_test
