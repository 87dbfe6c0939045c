// ELF files: `omv image bin` against arm-none-eabi-objcopy -O binary, and `omv image info`.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "image_support.h"

namespace omv::test::image_elf_test {
namespace {

using nlohmann::json;

void expect_same_as_objcopy(const TempDir& d, const std::filesystem::path& elf, const std::string& tag) {
  must({"arm-none-eabi-objcopy", "-O", "binary", elf.string(), (d / (tag + ".obj.bin")).string()});
  auto r = omv({"image", "bin", elf.string(), "-o", (d / (tag + ".omv.bin")).string()});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto want = read_bytes(d / (tag + ".obj.bin"));
  EXPECT_FALSE(want.empty());
  EXPECT_EQ(read_bytes(d / (tag + ".omv.bin")), want) << tag;
}

TEST(ImageElf, BinMatchesObjcopyForSeveralLayouts) {
  TempDir d;
  // Data copied from flash (AT>), aligned sections with holes between them.
  expect_same_as_objcopy(d, make_elf(d, "basic", kFirmwareC, firmware_ld("0x08040000")), "basic");
  // Hard-float, no debug info, a section placed at a fixed address leaving a large hole.
  expect_same_as_objcopy(
      d,
      make_elf(d, "hole", kFirmwareC + std::string("__attribute__((section(\".tail\"))) const int tail = 7;\n"),
               firmware_ld("0x08000000", "  .tail 0x08010000 : { KEEP(*(.tail)) } > FLASH\n"),
               {"-mfloat-abi=hard", "-mfpu=fpv5-d16"}),
      "hole");
  // Sections listed out of address order in the section table.
  const std::string reversed =
      "MEMORY { FLASH (rx) : ORIGIN = 0x90000000, LENGTH = 1M\n RAM (rwx) : ORIGIN = 0x20000000, LENGTH = 64K }\n"
      "ENTRY(reset)\nSECTIONS {\n  .rodata 0x90001000 : { *(.rodata*) } > FLASH\n"
      "  .isr_vector 0x90000000 : { KEEP(*(.isr_vector)) } > FLASH\n  .text : { *(.text*) } > FLASH\n"
      "  .data : { *(.data*) } > RAM AT> FLASH\n  .bss : { *(.bss*) *(COMMON) } > RAM\n}\n";
  expect_same_as_objcopy(d, make_elf(d, "reversed", kFirmwareC, reversed), "reversed");
}

TEST(ImageElf, InfoShowsSegmentsEntryDwarfAndTheBoardPartition) {
  TempDir d;
  auto elf = make_elf(d, "fw", kFirmwareC, firmware_ld("0x08040000"));
  auto r = omv({"image", "info", elf.string(), "--board", "OPENMV4", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  auto j = json::parse(r.out);
  EXPECT_EQ(j["format"], "elf");
  EXPECT_EQ(j["machine"], "ARM");
  EXPECT_EQ(j["dwarf"], true);
  EXPECT_EQ(j["entry"].get<uint64_t>() & 1, 1u);  // Thumb
  ASSERT_GE(j["load_segments"].size(), 2u);
  EXPECT_EQ(j["load_segments"][0]["paddr"], 0x08040000);
  EXPECT_EQ(j["board"]["partition"], "FIRMWARE");
  EXPECT_EQ(j["board"]["fits"], true);
  must({"arm-none-eabi-objcopy", "-O", "binary", elf.string(), (d / "fw.bin").string()});
  EXPECT_EQ(j["bin_size"], read_bytes(d / "fw.bin").size());

  // The same raw binary is placed by its reset vector.
  auto bin = json::parse(omv({"image", "info", (d / "fw.bin").string(), "--board", "OPENMV4", "--json"}).out);
  EXPECT_EQ(bin["board"]["partition"], "FIRMWARE");
  EXPECT_NE(bin["board"]["how"].get<std::string>().find("reset vector"), std::string::npos);

  // Without debug info, and too big for the partition it is linked into.
  auto fat = make_elf(d, "fat", kFirmwareC + std::string("const unsigned char blob[200000] = {1};\n"), firmware_ld("0x081E0000"), {});
  auto f = json::parse(omv({"image", "info", fat.string(), "--board", "OPENMV4", "--json"}).out);
  EXPECT_EQ(f["dwarf"], false);
  EXPECT_EQ(f["board"]["partition"], "ROMFS0");
  EXPECT_EQ(f["board"]["fits"], false);
  EXPECT_GT(f["board"]["overflow"].get<uint64_t>(), 60000u);
}

TEST(ImageElf, TruncatedAndGarbageFilesNameTheOffset) {
  TempDir d;
  auto elf = make_elf(d, "fw", kFirmwareC, firmware_ld("0x08040000"));
  auto bytes = read_bytes(elf);
  for (size_t cut : {size_t{30}, size_t{100}, size_t{5000}, bytes.size() - 1}) {
    write_bytes(d / "cut.elf", Bytes(bytes.begin(), bytes.begin() + static_cast<long>(cut)));
    auto r = omv({"image", "info", (d / "cut.elf").string()});
    EXPECT_EQ(r.exit_code, 3) << cut << ": " << r.err;
    EXPECT_NE(r.err.find("ELF: offset"), std::string::npos) << cut << ": " << r.err;
    EXPECT_EQ(omv({"image", "bin", (d / "cut.elf").string(), "-o", (d / "x.bin").string()}).exit_code, 3);
  }
  auto bad = bytes;
  bad[4] = 7;  // EI_CLASS
  write_bytes(d / "bad.elf", bad);
  auto r = omv({"image", "info", (d / "bad.elf").string()});
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("offset 4 (0x4): expected EI_CLASS"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(d / "x.bin"));
}

TEST(ImageElf, FarApartSectionsAreRefusedNamingThem) {
  TempDir d;
  auto elf = make_elf(d, "far", kFirmwareC + std::string("__attribute__((section(\".ext\"))) const int ext = 7;\n"),
                      firmware_ld("0x08000000", "  .ext 0x90000000 : { KEEP(*(.ext)) }\n"));
  auto r = omv({"image", "bin", elf.string(), "-o", (d / "x.bin").string()});
  EXPECT_EQ(r.exit_code, 9) << r.err;
  EXPECT_NE(r.err.find(".ext (load address 0x90000000)"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(d / "x.bin"));
}

}  // namespace
}  // namespace omv::test::image_elf_test
