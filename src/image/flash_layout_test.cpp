#include "image/flash_layout.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace omv::image::flash_layout_test {
namespace {

// OpenMV IDE's FlashLayout.tsv for the N6 (openmv-ide.md 6.7), with CRLF line ends.
const char* const kOpenmvN6 =
    "#Opt\tId\tName\tType\tIP\tOffset\tBinary\r\n"
    "P\t0x1\tfsbl-openbl\tBinary\tnone\t0x0\tOpenBootloader_STM32N6570-DK-trusted.stm32\r\n"
    "P\t0x3\tfsbl-extfl\tBinary\tnone\t0x0\tMX66UW1G45G_STM32N6570-DK-OBL.bin\r\n"
    "P\t0x4\tfsbl-app\tBinary\tnor0\t0x0000000\tbootloader.bin\r\n";

const FlashLayoutOptions kN6{{0x01, 0x03}};

std::string error_of(const std::string& text) {
  try {
    parse_flash_layout(text, "/fw/OPENMV_N6/FlashLayout.tsv", kN6);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_file);
    return e.what();
  }
  return "";
}

TEST(FlashLayout, ReadsOpenmvIdesLayoutAndResolvesBinariesBesideIt) {
  auto l = parse_flash_layout(kOpenmvN6, "/fw/OPENMV_N6/FlashLayout.tsv", kN6);
  ASSERT_EQ(l.lines.size(), 3u);
  EXPECT_EQ(l.lines[0].id, 0x01);
  EXPECT_EQ(l.lines[0].line_number, 2);
  EXPECT_EQ(l.lines[2].ip, "nor0");
  EXPECT_EQ(l.lines[2].offset, 0u);
  EXPECT_EQ(l.lines[2].binary_path, std::filesystem::path("/fw/OPENMV_N6/bootloader.bin"));
  ASSERT_NE(l.line_for(0x03), nullptr);
  EXPECT_EQ(l.line_for(0x03)->name, "fsbl-extfl");
  // What the OpenBootloader receives: no comment line, six columns, LF after every line.
  EXPECT_EQ(l.normalised_tsv(),
            "P\t0x1\tfsbl-openbl\tBinary\tnone\t0x0\n"
            "P\t0x3\tfsbl-extfl\tBinary\tnone\t0x0\n"
            "P\t0x4\tfsbl-app\tBinary\tnor0\t0x0000000\n");
}

TEST(FlashLayout, SeveralTabsCountAsOneAndUnselectedLinesStayOutOfTheBlob) {
  auto l = parse_flash_layout("P\t\t0x1\tfsbl\t\tBinary\tnone\t0x0\tob.stm32\n\n# comment\n-\t0x5\tspare\tBinary\tnor0\t0x100000\n"
                              "P\t0x4\tapp\tBinary\tnor0\t0x0\tbl.bin",
                              "/x/FlashLayout.tsv", kN6);
  ASSERT_EQ(l.lines.size(), 3u);
  EXPECT_EQ(l.lines[0].name, "fsbl");
  EXPECT_FALSE(l.lines[1].selected());
  EXPECT_EQ(l.line_for(0x05), nullptr);
  EXPECT_EQ(l.normalised_tsv(), "P\t0x1\tfsbl\tBinary\tnone\t0x0\nP\t0x4\tapp\tBinary\tnor0\t0x0\n");
}

TEST(FlashLayout, BadLinesAreRefusedNamingFileAndLine) {
  EXPECT_NE(error_of("P\t0x1\tfsbl\tBinary\tnone\n").find("FlashLayout.tsv:1: FlashLayout: 5 columns"), std::string::npos);
  EXPECT_NE(error_of("P 0x1 fsbl Binary none 0x0 ob.stm32\n").find("1 column,"), std::string::npos);
  std::string dup = std::string(kOpenmvN6) + "P\t0x4\tagain\tBinary\tnor0\t0x80000\tx.bin\n";
  EXPECT_NE(error_of(dup).find(":5: FlashLayout: Id 0x04 is used again (first on line 4)"), std::string::npos) << error_of(dup);
  EXPECT_NE(error_of("P\t0x4\tapp\tBinary\tnone\t0x0\tbl.bin\n").find("IP is none: there is nowhere to write it"),
            std::string::npos);
  EXPECT_NE(error_of("P\t0x0\tapp\tBinary\tnor0\t0x0\tbl.bin\n").find("Id '0x0'"), std::string::npos);
  EXPECT_NE(error_of("P\t0xF1\tapp\tBinary\tnor0\t0x0\tbl.bin\n").find("Id '0xF1'"), std::string::npos);
  EXPECT_NE(error_of("D\t0x4\tapp\tBinary\tnor0\t0x0\tbl.bin\n").find("without P"), std::string::npos);
  EXPECT_NE(error_of("X\t0x4\tapp\tBinary\tnor0\t0x0\tbl.bin\n").find("Opt 'X'"), std::string::npos);
  EXPECT_NE(error_of("P\t0x4\tapp\tBinary\tflash\t0x0\tbl.bin\n").find("IP 'flash'"), std::string::npos);
  EXPECT_NE(error_of("P\t0x4\tapp\tBin\tnor0\t0x0\tbl.bin\n").find("Type 'Bin'"), std::string::npos);
  EXPECT_NE(error_of("P\t0x4\tapp\tBinary\tnor0\tsomewhere\tbl.bin\n").find("Offset 'somewhere'"), std::string::npos);
  EXPECT_NE(error_of("P\t0x4\tapp\tBinary\tnor0\tboot1\tbl.bin\n").find("only for eMMC"), std::string::npos);
  EXPECT_NE(error_of("P\t0x4\tthis-name-is-far-too-long\tBinary\tnor0\t0x0\tbl.bin\n").find("longer than 16"), std::string::npos);
  EXPECT_NE(error_of("P\t0x4\tapp\tBinary\tnor0\t0x0\n").find("names no Binary file"), std::string::npos);
  EXPECT_NE(error_of("#Opt\tId\n\n").find("no partition lines"), std::string::npos);
  EXPECT_NE(error_of(std::string("P\t0x4\0", 6)).find("NUL"), std::string::npos);
  EXPECT_EQ(error_of(kOpenmvN6), "");
}

}  // namespace
}  // namespace omv::image::flash_layout_test
