// omv uf2 convert in both directions.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "image_support.h"

namespace omv::test::image_uf2_test {
namespace {

using nlohmann::json;

TEST(ImageUf2, BinToUf2AndBackPadsTheLastBlockWithFF) {
  TempDir d;
  const Bytes fw = pattern(100000, 11);  // not a multiple of 256
  write_bytes(d / "fw.bin", fw);
  auto r = omv({"uf2", "convert", (d / "fw.bin").string(), "--base", "0x10000000", "-o", (d / "fw.uf2").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto uf2 = read_bytes(d / "fw.uf2");
  ASSERT_EQ(uf2.size(), 391u * 512);  // ceil(100000 / 256) blocks
  auto back = omv({"uf2", "convert", (d / "fw.uf2").string(), "-o", (d / "back.bin").string(), "--json"});
  ASSERT_EQ(back.exit_code, 0) << back.err;
  Bytes expected = fw;
  expected.resize(391 * 256, 0xFF);
  EXPECT_EQ(read_bytes(d / "back.bin"), expected);
  // ... and that binary converts to the same UF2 again.
  ASSERT_EQ(omv({"uf2", "convert", (d / "back.bin").string(), "--base", "0x10000000", "-o", (d / "again.uf2").string()}).exit_code, 0);
  EXPECT_EQ(read_bytes(d / "again.uf2"), uf2);
  auto info = json::parse(omv({"image", "info", (d / "fw.uf2").string(), "--json"}).out);
  EXPECT_EQ(info["format"], "uf2");
  EXPECT_EQ(info["blocks"], 391);
  EXPECT_EQ(info["family"], "rp2040");
  ASSERT_EQ(info["ranges"].size(), 1u);
  EXPECT_EQ(info["ranges"][0]["start"], 0x10000000);
  EXPECT_EQ(info["gaps"].size(), 0u);
  EXPECT_EQ(info["out_of_order"], 0);
}

TEST(ImageUf2, ElfToUf2CarriesObjcopysBytesAtTheLoadAddresses) {
  TempDir d;
  auto elf = make_elf(d, "fw", kFirmwareC, firmware_ld("0x10000000"));
  must({"arm-none-eabi-objcopy", "-O", "binary", "--gap-fill", "0xFF", elf.string(), (d / "obj.bin").string()});
  auto r = omv({"uf2", "convert", elf.string(), "-o", (d / "fw.uf2").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  ASSERT_EQ(omv({"uf2", "convert", (d / "fw.uf2").string(), "-o", (d / "back.bin").string()}).exit_code, 0);
  auto obj = read_bytes(d / "obj.bin");
  auto back = read_bytes(d / "back.bin");
  ASSERT_GE(back.size(), obj.size());
  EXPECT_TRUE(std::equal(obj.begin(), obj.end(), back.begin()));
  EXPECT_TRUE(std::all_of(back.begin() + static_cast<long>(obj.size()), back.end(), [](uint8_t b) { return b == 0xFF; }));
  auto board = json::parse(omv({"image", "info", (d / "fw.uf2").string(), "--board", "ARDUINO_NANO_RP2040_CONNECT", "--json"}).out);
  EXPECT_EQ(board["board"]["partition"], "FIRMWARE");
  EXPECT_EQ(board["board"]["fits"], true);
}

TEST(ImageUf2, GapsAreFilledWithFFAndReported) {
  TempDir d;
  write_bytes(d / "a.bin", pattern(512, 12));
  write_bytes(d / "b.bin", pattern(256, 13));
  ASSERT_EQ(omv({"uf2", "convert", (d / "a.bin").string(), "--base", "0x10000000", "-o", (d / "a.uf2").string()}).exit_code, 0);
  ASSERT_EQ(omv({"uf2", "convert", (d / "b.bin").string(), "--base", "0x10001000", "-o", (d / "b.uf2").string()}).exit_code, 0);
  // Concatenated, with b's block first: out of order, and numBlocks restarts.
  auto a = read_bytes(d / "a.uf2"), b = read_bytes(d / "b.uf2");
  write_bytes(d / "ab.uf2", concat(b, a));
  auto info = json::parse(omv({"image", "info", (d / "ab.uf2").string(), "--json"}).out);
  ASSERT_EQ(info["gaps"].size(), 1u);
  EXPECT_EQ(info["gaps"][0]["start"], 0x10000200);
  EXPECT_EQ(info["gaps"][0]["end"], 0x10001000);
  EXPECT_GE(info["out_of_order"].get<int>(), 1);
  auto r = omv({"uf2", "convert", (d / "ab.uf2").string(), "-o", (d / "ab.bin").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("gap 0x10000200..0x10001000 (3584 bytes) filled with 0xFF"), std::string::npos) << r.err;
  auto bin = read_bytes(d / "ab.bin");
  ASSERT_EQ(bin.size(), 0x1100u);
  EXPECT_TRUE(std::equal(a.begin() + 32, a.begin() + 32 + 256, bin.begin()));
  EXPECT_EQ(bin[0x200], 0xFF);
  EXPECT_EQ(bin[0xFFF], 0xFF);
  EXPECT_TRUE(std::equal(b.begin() + 32, b.begin() + 32 + 256, bin.begin() + 0x1000));
}

TEST(ImageUf2, FamiliesAreChosenNotMixed) {
  TempDir d;
  write_bytes(d / "x.bin", pattern(256, 14));
  write_bytes(d / "y.bin", pattern(256, 15));
  ASSERT_EQ(omv({"uf2", "convert", (d / "x.bin").string(), "--base", "0x10000000", "-o", (d / "x.uf2").string()}).exit_code, 0);
  ASSERT_EQ(omv({"uf2", "convert", (d / "y.bin").string(), "--base", "0x10000000", "--family", "0xE48BFF59", "-o", (d / "y.uf2").string()}).exit_code, 0);
  write_bytes(d / "xy.uf2", concat(read_bytes(d / "x.uf2"), read_bytes(d / "y.uf2")));
  EXPECT_EQ(omv({"uf2", "convert", (d / "xy.uf2").string(), "-o", (d / "o.bin").string()}).exit_code, 2);
  ASSERT_EQ(omv({"uf2", "convert", (d / "xy.uf2").string(), "--family", "rp2350-arm-s", "-o", (d / "o.bin").string()}).exit_code, 0);
  EXPECT_EQ(read_bytes(d / "o.bin"), read_bytes(d / "y.bin"));
}

TEST(ImageUf2, BadFilesNameTheOffset) {
  TempDir d;
  write_bytes(d / "x.bin", pattern(1024, 16));
  ASSERT_EQ(omv({"uf2", "convert", (d / "x.bin").string(), "--base", "0x10000000", "-o", (d / "x.uf2").string()}).exit_code, 0);
  auto uf2 = read_bytes(d / "x.uf2");
  write_bytes(d / "cut.uf2", Bytes(uf2.begin(), uf2.begin() + 1500));
  auto cut = omv({"image", "info", (d / "cut.uf2").string()});
  EXPECT_EQ(cut.exit_code, 3);
  EXPECT_NE(cut.err.find("UF2: offset 1024"), std::string::npos) << cut.err;
  auto bad = uf2;
  bad[512 + 508] = 0;  // magicEnd of block 1
  write_bytes(d / "bad.uf2", bad);
  auto r = omv({"uf2", "convert", (d / "bad.uf2").string(), "-o", (d / "o.bin").string()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("offset 1020"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(d / "o.bin"));
  // A raw binary needs an address.
  EXPECT_EQ(omv({"uf2", "convert", (d / "x.bin").string(), "-o", (d / "y.uf2").string()}).exit_code, 2);
}

}  // namespace
}  // namespace omv::test::image_uf2_test
