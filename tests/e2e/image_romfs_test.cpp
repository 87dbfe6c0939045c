// omv romfs build / ls / extract, checked against an independent encoder
// (tests/image/romfs_reference.py) and the vectors in the reference notes.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <sys/stat.h>

#include "image_support.h"

namespace omv::test::image_romfs_test {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

const std::string kReference = std::string(OMV_SOURCE_DIR) + "/tests/image/romfs_reference.py";

void make_tree(const fs::path& root) {
  fs::create_directories(root / "lib" / "deep");
  write_bytes(root / "fomo.tflite", pattern(10007, 21));
  write_bytes(root / "labels.txt", {'f', 'a', 'c', 'e', '\n'});
  write_bytes(root / "Zcase.bin", pattern(130, 22));
  write_bytes(root / "lib" / "x.py", {'x', '=', '1'});
  write_bytes(root / "lib" / "deep" / "empty", {});
  write_bytes(root / "lib" / "deep" / "big.cascade", pattern(70000, 23));
}

TEST(ImageRomfs, FolderBuildMatchesTheReferenceEncoder) {
  TempDir d;
  make_tree(d / "in");
  auto r = omv({"romfs", "build", (d / "in").string(), "-o", (d / "omv.img").string(), "--align", "tflite=32", "--align", "cascade=16"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  must({"python3", kReference, (d / "ref.img").string(), (d / "in").string(), "4", "tflite=32", "cascade=16"});
  EXPECT_EQ(read_bytes(d / "omv.img"), read_bytes(d / "ref.img"));

  auto ls = omv({"romfs", "ls", (d / "omv.img").string(), "--json"});
  ASSERT_EQ(ls.exit_code, 0) << ls.err;
  auto j = json::parse(ls.out);
  std::map<std::string, json> by_path;
  for (const auto& e : j["entries"]) by_path[e["path"]] = e;
  EXPECT_EQ(by_path["fomo.tflite"]["size"], 10007);
  EXPECT_EQ(by_path["fomo.tflite"]["offset"].get<uint64_t>() % 32, 0u);
  EXPECT_EQ(by_path["lib/deep/big.cascade"]["offset"].get<uint64_t>() % 16, 0u);
  EXPECT_EQ(by_path["lib"]["type"], "dir");
  auto img = read_bytes(d / "omv.img");
  ASSERT_EQ(img[0], 0xD2);
  EXPECT_EQ(img[15] & 0x80, 0);  // the header ends at offset 16 (payload length varuint)
}

TEST(ImageRomfs, ExtractGivesBackTheFolder) {
  TempDir d;
  make_tree(d / "in");
  ASSERT_EQ(omv({"romfs", "build", (d / "in").string(), "-o", (d / "r.img").string()}).exit_code, 0);
  auto r = omv({"romfs", "extract", (d / "r.img").string(), (d / "out").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const auto& p : fs::recursive_directory_iterator(d / "in")) {
    auto rel = fs::relative(p.path(), d / "in");
    ASSERT_TRUE(fs::exists(d / "out" / rel)) << rel;
    if (fs::is_regular_file(p)) {
      EXPECT_EQ(read_bytes(p.path()), read_bytes(d / "out" / rel)) << rel;
    }
  }
}

TEST(ImageRomfs, ConfigBuildMatchesMkromfsLayout) {
  TempDir d;
  const auto top = d / "fw";
  fs::create_directories(top / "boards" / "MYBOARD");
  fs::create_directories(top / "models");
  fs::create_directories(top / "data");
  write_file(top / "boards" / "MYBOARD" / "romfs_config.json", R"({
    "0": {"size": "0x20000", "entries": [
      {"type": "tflite", "path": "{TOP}/models/fomo.tflite", "alignment": 16},
      {"type": "data", "path": "{TOP}/data/*", "alignment": 8},
      {"type": "data", "path": "{TOP}/models/off.bin", "enabled": false},
      {"type": "txt", "path": "{TOP}/models/notes.txt"}]},
    "1": {"size": "0x1000", "entries": [
      {"type": "haar", "path": "{TOP}/models/face.xml", "stages": 25},
      {"type": "tflite", "path": "{TOP}/models/npu.tflite", "profile": "default", "alignment": 32}]}})");
  write_bytes(top / "models" / "fomo.tflite", pattern(3001, 31));
  write_file(top / "models" / "fomo.txt", "face\nbody\n");
  write_file(top / "models" / "notes.txt", "notes\n");
  write_bytes(top / "data" / "b.bin", pattern(50, 32));
  write_bytes(top / "data" / "a.bin", pattern(71, 33));
  write_file(top / "models" / "face.xml", "<x/>");
  write_bytes(top / "models" / "npu.tflite", pattern(10, 34));
  const auto config = (top / "boards" / "MYBOARD" / "romfs_config.json").string();

  auto r = omv({"romfs", "build", "--config", config, "--partition", "0", "-o", (d / "romfs0.img").string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // mkromfs order: the model, its labels file, the glob sorted, the txt; disabled entries out.
  must({"python3", kReference, (d / "ref.img").string(), "--files", "16:" + (top / "models/fomo.tflite").string(),
        "4:" + (top / "models/fomo.txt").string(), "8:" + (top / "data/a.bin").string(), "8:" + (top / "data/b.bin").string(),
        "4:" + (top / "models/notes.txt").string()});
  EXPECT_EQ(read_bytes(d / "romfs0.img"), read_bytes(d / "ref.img"));

  // Partition 1 needs haar2c and stedgeai: refused, naming both entries; nothing written.
  auto one = omv({"romfs", "build", "--config", config, "--partition", "1", "-o", (d / "romfs1.img").string()});
  EXPECT_EQ(one.exit_code, 15) << one.err;
  EXPECT_NE(one.err.find("entry 0 (haar {TOP}/models/face.xml) needs haar2c"), std::string::npos) << one.err;
  EXPECT_NE(one.err.find("entry 1 (tflite {TOP}/models/npu.tflite) needs stedgeai"), std::string::npos) << one.err;
  EXPECT_FALSE(fs::exists(d / "romfs1.img"));
  auto skip = omv({"romfs", "build", "--config", config, "--partition", "1", "-o", (d / "romfs1.img").string(), "--skip-unconvertible"});
  EXPECT_EQ(skip.exit_code, 0) << skip.err;
  EXPECT_NE(skip.err.find("left out"), std::string::npos);
}

TEST(ImageRomfs, OverflowNamesThePartitionItsSizeAndTheExcess) {
  TempDir d;
  fs::create_directories(d / "in");
  write_bytes(d / "in" / "model.tflite", pattern(131072, 41));  // OPENMV4 ROMFS0 is 128 KiB
  auto r = omv({"romfs", "build", (d / "in").string(), "--board", "OPENMV4", "-o", (d / "romfs0.img").string()});
  EXPECT_EQ(r.exit_code, 9) << r.err;
  EXPECT_NE(r.err.find("partition ROMFS0 of OPENMV4"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("131072 bytes"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("by 44 bytes"), std::string::npos) << r.err;  // 16 header + 8 + 13 name + 7 data header
  EXPECT_FALSE(fs::exists(d / "romfs0.img"));
  auto fits = omv({"romfs", "build", (d / "in").string(), "--board", "OPENMV4P", "-o", (d / "romfs0.img").string()});
  EXPECT_EQ(fits.exit_code, 0) << fits.err;
  auto info = json::parse(omv({"image", "info", (d / "romfs0.img").string(), "--board", "OPENMV4", "--json"}).out);
  EXPECT_EQ(info["board"]["partition"], "ROMFS0");
  EXPECT_EQ(info["board"]["fits"], false);
  EXPECT_EQ(info["board"]["overflow"], 44);
}

// An mpremote-style image (no padding) holding one name.
Bytes one_file_image(const std::string& name) {
  Bytes file = {0x02, 0x01, 'A'};
  Bytes rec = {static_cast<uint8_t>(name.size())};
  rec.insert(rec.end(), name.begin(), name.end());
  rec.insert(rec.end(), file.begin(), file.end());
  Bytes img = {0xD2, 0xCD, 0x31, static_cast<uint8_t>(rec.size() + 2), 0x05, static_cast<uint8_t>(rec.size())};
  img.insert(img.end(), rec.begin(), rec.end());
  return img;
}

TEST(ImageRomfs, ExtractRefusesNamesThatEscape) {
  TempDir d;
  for (const std::string name : {"..", ".", "a/../../evil"}) {
    write_bytes(d / "evil.img", one_file_image(name));
    auto r = omv({"romfs", "extract", (d / "evil.img").string(), (d / "out").string()});
    EXPECT_EQ(r.exit_code, 9) << name << ": " << r.err;
    EXPECT_NE(r.err.find("would escape"), std::string::npos) << r.err;
  }
  EXPECT_FALSE(fs::exists(d / "evil"));
  // A symbolic link already in DIR is not followed.
  fs::create_directories(d / "out2");
  fs::create_directories(d / "elsewhere");
  fs::create_symlink(d / "elsewhere" / "target", d / "out2" / "f");
  write_bytes(d / "f.img", one_file_image("f"));
  auto r = omv({"romfs", "extract", (d / "f.img").string(), (d / "out2").string()});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_FALSE(fs::exists(d / "elsewhere" / "target"));
}

TEST(ImageRomfs, TruncatedImageNamesTheOffset) {
  TempDir d;
  make_tree(d / "in");
  ASSERT_EQ(omv({"romfs", "build", (d / "in").string(), "-o", (d / "r.img").string()}).exit_code, 0);
  auto img = read_bytes(d / "r.img");
  write_bytes(d / "cut.img", Bytes(img.begin(), img.begin() + 5000));
  auto r = omv({"image", "info", (d / "cut.img").string()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("ROMFS: offset 16"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("file ends at offset 5000"), std::string::npos) << r.err;
  EXPECT_EQ(omv({"romfs", "ls", (d / "cut.img").string()}).exit_code, 3);
}

}  // namespace
}  // namespace omv::test::image_romfs_test
