#include "image/dfu_suffix.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace omv::image {
namespace {

TEST(DfuSuffix, WorkedExampleA) {
  // protocols.md 2.6 example A, as dfu-suffix -v 0x0483 -p 0xdf11 -d 0xffff -a writes it.
  const std::vector<uint8_t> payload = {0xDE, 0xAD, 0xBE, 0xEF};
  DfuSuffix f;
  f.vendor = 0x0483;
  f.product = 0xDF11;
  auto s = make_dfu_suffix(payload, f);
  const std::array<uint8_t, 16> want = {0xff, 0xff, 0x11, 0xdf, 0x83, 0x04, 0x00, 0x01,
                                        0x55, 0x46, 0x44, 0x10, 0xfe, 0x92, 0xf4, 0xcd};
  EXPECT_EQ(s, want);
  std::vector<uint8_t> file = payload;
  file.insert(file.end(), s.begin(), s.end());
  auto found = find_dfu_suffix(ByteView(file, {"a.bin", "DFU suffix"}));
  ASSERT_TRUE(found);
  EXPECT_TRUE(found->crc_ok());
  EXPECT_EQ(found->payload_size, 4u);
  file[0] ^= 1;
  EXPECT_FALSE(find_dfu_suffix(ByteView(file, {"a.bin", "DFU suffix"}))->crc_ok());
}

TEST(DfuSuffix, LengthLongerThanTheFileNamesTheOffset) {
  std::vector<uint8_t> file(16, 0);
  file[8] = 'U';
  file[9] = 'F';
  file[10] = 'D';
  file[11] = 40;
  try {
    find_dfu_suffix(ByteView(file, {"x.bin", "DFU suffix"}));
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("offset 11"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace omv::image
