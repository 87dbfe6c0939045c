#include <gtest/gtest.h>

#include "core/error.h"
#include "image/alif_ds.h"

namespace omv::image::alif_ds_test {
namespace {

TEST(AlifDs, ReadsThePairsBetweenArgsAndContinue) {
  const char* ds =
      "set semihosting args build/bootloader.bin 0x80000000 build/firmware_M55_HP.bin 0x80020000 "
      "build/AppTocPackage.bin 2153242624\n"
      "continue\nwait\nreset reset.hardware\n";
  auto list = parse_alif_ds(ds, "application_package.ds");
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0].file, "build/bootloader.bin");
  EXPECT_EQ(list[0].address, 0x80000000u);
  EXPECT_EQ(list[2].file, "build/AppTocPackage.bin");
  EXPECT_EQ(list[2].address, 0x8057E000u);  // decimal, as the toolkit accepts it
}

TEST(AlifDs, BadScriptsNameWhatIsWrong) {
  auto message = [](const std::string& text) {
    try {
      parse_alif_ds(text, "x.ds");
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::bad_file);
      return std::string(e.what());
    }
    return std::string("parsed");
  };
  EXPECT_NE(message("continue\n").find("no 'set semihosting args' line"), std::string::npos);
  EXPECT_NE(message("set semihosting args a.bin 0x80000000\n").find("no 'continue'"), std::string::npos);
  EXPECT_NE(message("set semihosting args a.bin\ncontinue\n").find("'a.bin' has no address"), std::string::npos);
  EXPECT_NE(message("set semihosting args a.bin 0x180000000\ncontinue\n").find("not a 32-bit number"), std::string::npos);
  EXPECT_NE(message("set semihosting args a.bin 12abc\ncontinue\n").find("offset 27"), std::string::npos);
  EXPECT_NE(message("set semihosting args \ncontinue\n").find("empty"), std::string::npos);
}

}  // namespace
}  // namespace omv::image::alif_ds_test
