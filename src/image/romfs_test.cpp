#include "image/romfs.h"

#include <gtest/gtest.h>

#include "core/error.h"
#include "image/romfs_builder.h"
#include "image/romfs_config.h"

namespace omv::image {
namespace {

std::vector<uint8_t> hex(const std::string& text) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i + 1 < text.size();) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    out.push_back(static_cast<uint8_t>(std::stoi(text.substr(i, 2), nullptr, 16)));
    i += 2;
  }
  return out;
}

RomfsBuildEntry file(std::string name, std::vector<uint8_t> data, uint64_t align) {
  RomfsBuildEntry e;
  e.name = std::move(name);
  e.size = data.size();
  e.contents = std::move(data);
  e.alignment = align;
  return e;
}

TEST(Romfs, Varuints) {
  std::vector<uint8_t> out;
  append_varuint(out, 127);
  append_varuint(out, 128);
  append_varuint(out, 16384);
  EXPECT_EQ(out, hex("7f 8100 818000"));
  std::vector<uint8_t> magic;
  append_varuint(magic, kRomfsKindFilesystem);
  EXPECT_EQ(magic, hex("d2cd31"));
}

TEST(Romfs, MkromfsVectorFromTheReferenceNotes) {
  // protocols.md 8.3: m.tflite (00..07, align 32) + l.txt ("cat\n", align 4).
  std::vector<uint8_t> m = {0, 1, 2, 3, 4, 5, 6, 7};
  auto img = build_romfs({file("m.tflite", m, 32), file("l.txt", {'c', 'a', 't', '\n'}, 4)});
  // 29 bytes of 0x80 padding put the data at offset 64.
  auto want = hex("d2cd31808080808080808080808080 4c 05808080808080 30 08 6d2e74666c697465 02");
  want.insert(want.end(), 29, 0x80);
  auto rest = hex("08 0001020304050607 05808080808080 0c 05 6c2e747874 02 04 6361740a");
  want.insert(want.end(), rest.begin(), rest.end());
  EXPECT_EQ(img, want);
  auto fs = parse_romfs(ByteView(img, {"v.img", "ROMFS"}));
  ASSERT_EQ(fs.entries.size(), 2u);
  EXPECT_EQ(fs.entries[0].data_offset, 64u);
  EXPECT_EQ(fs.entries[1].data_offset, 88u);
  EXPECT_EQ(fs.payload_offset, 16u);
}

TEST(Romfs, FirmwareNotesExample) {
  // openmv-firmware.md 3.4: one 20-byte a.tflite, align 16, data at offset 48.
  auto img = build_romfs({file("a.tflite", std::vector<uint8_t>(20, 0x5A), 16)});
  auto want = hex("d2cd31 808080808080808080808080 34 05 808080808080 2c 08 612e74666c697465 02 80808080808080808080808080 14");
  ASSERT_GE(img.size(), want.size());
  EXPECT_TRUE(std::equal(want.begin(), want.end(), img.begin()));
  EXPECT_EQ(img.size(), 48u + 20u);
}

TEST(Romfs, ReadsMpremoteImages) {
  // protocols.md 8.3: mpremote writes no padding, and directories.
  auto a = hex("d2cd310c05 0a 05 612e747874 02 02 6869");
  auto fs = parse_romfs(ByteView(a, {"a.img", "ROMFS"}));
  ASSERT_EQ(fs.entries.size(), 1u);
  EXPECT_EQ(fs.entries[0].path, "a.txt");
  EXPECT_EQ(fs.entries[0].size, 2u);
  EXPECT_EQ(fs.entries[0].data_offset, 14u);
  auto b = hex("d2cd3118 04 10 03 6c6962 05 0a 04 782e7079 02 03 783d31 05 04 01 62 02 00");
  auto tree = parse_romfs(ByteView(b, {"b.img", "ROMFS"}));
  ASSERT_EQ(tree.entries.size(), 3u);
  EXPECT_TRUE(tree.entries[0].directory);
  EXPECT_EQ(tree.entries[1].path, "lib/x.py");
  EXPECT_EQ(tree.entries[1].depth, 1);
  EXPECT_EQ(tree.entries[2].path, "b");
  EXPECT_EQ(tree.entries[2].size, 0u);
}

TEST(Romfs, RecordPointingPastItsParentNamesTheOffset) {
  auto b = hex("d2cd3118 04 10 03 6c6962 05 7f 04 782e7079 02 03 783d31 05 04 01 62 02 00");
  try {
    parse_romfs(ByteView(b, {"b.img", "ROMFS"}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_file);
    EXPECT_NE(std::string(e.what()).find("offset 10"), std::string::npos) << e.what();
  }
}

TEST(Romfs, TruncatedImage) {
  auto img = build_romfs({file("a", std::vector<uint8_t>(100, 1), 4)});
  img.resize(60);
  EXPECT_THROW(parse_romfs(ByteView(img, {"t.img", "ROMFS"})), Error);
}

TEST(Romfs, BadAlignmentIsRefused) { EXPECT_THROW(plan_romfs({file("a", {1}, 24)}), Error); }

TEST(RomfsConfig, ANumberTooLargeForAnyTypeIsABadFile) {
  // Found by the romfs_config fuzzer: nlohmann reports this as out_of_range, not a parse error.
  try {
    parse_romfs_config(R"({"0": {"size": 66666666666666666666666666666666666667E77777777, "entries": []}})", "cfg.json");
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_file);
    EXPECT_NE(std::string(e.what()).find("cfg.json"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace omv::image
