#include "sim/gadget/descriptors.h"

#include <gtest/gtest.h>

#include "core/error.h"

namespace omv::sim::gadget {
namespace {

const std::vector<uint8_t> kDfuFunctional{0x09, 0x21, 0x07, 0xE8, 0x03, 0x00, 0x10, 0x01, 0x01};

transport::UsbInterfaceInfo dfu_alt(uint8_t alt, std::string name) {
  transport::UsbInterfaceInfo itf;
  itf.number = 0;
  itf.alt = alt;
  itf.cls = 0xFE;
  itf.subclass = 0x01;
  itf.protocol = 0x02;
  itf.name = std::move(name);
  itf.extra = kDfuFunctional;
  return itf;
}

transport::UsbDeviceInfo camera() {
  transport::UsbDeviceInfo info;
  info.id = {0x37C5, 0x9204};
  info.bcd_device = 0x0200;
  info.manufacturer = "OpenMV";
  info.product = "OpenMV Cam";
  info.serial = "0123456789AB";
  // Listed out of order on purpose: descriptors come in interface/alt order.
  info.interfaces = {dfu_alt(1, "Filesystem"), dfu_alt(0, "Bootloader"), dfu_alt(2, "Firmware"),
                     dfu_alt(3, "Filesystem")};
  return info;
}

struct Walked {
  std::vector<std::vector<uint8_t>> descriptors;
};

// Splits a configuration descriptor into its descriptors, checking every length.
Walked walk(const std::vector<uint8_t>& config) {
  Walked w;
  size_t at = 0;
  while (at < config.size()) {
    const size_t len = config[at];
    EXPECT_GE(len, 2u);
    EXPECT_LE(at + len, config.size());
    if (len < 2 || at + len > config.size()) break;
    w.descriptors.emplace_back(config.begin() + static_cast<long>(at), config.begin() + static_cast<long>(at + len));
    at += len;
  }
  return w;
}

std::string ascii_of(const std::vector<uint8_t>& string_desc) {
  std::string s;
  for (size_t i = 2; i + 1 < string_desc.size(); i += 2) s.push_back(static_cast<char>(string_desc[i]));
  return s;
}

TEST(GadgetDescriptors, DeviceDescriptorCarriesIdsAndStringIndices) {
  const auto d = build_descriptors(camera());
  const std::vector<uint8_t> expected{18,   0x01, 0x00, 0x02, 0x00, 0x00, 0x00, 64,   0xC5,
                                      0x37, 0x04, 0x92, 0x00, 0x02, 1,    2,    3,    1};
  EXPECT_EQ(d.device, expected);
  ASSERT_GE(d.strings.size(), 3u);
  EXPECT_EQ(d.strings[0], "OpenMV");
  EXPECT_EQ(d.strings[1], "OpenMV Cam");
  EXPECT_EQ(d.strings[2], "0123456789AB");
}

TEST(GadgetDescriptors, ConfigurationListsEveryAltInOrderWithItsClassBytes) {
  const auto d = build_descriptors(camera());
  ASSERT_GE(d.config.size(), 9u);
  EXPECT_EQ(d.config[0], 9);
  EXPECT_EQ(d.config[1], 0x02);
  EXPECT_EQ(d.config[2] | (d.config[3] << 8), static_cast<int>(d.config.size()));
  EXPECT_EQ(d.config[4], 1) << "one interface with four alt settings";
  EXPECT_EQ(d.config[5], 1) << "bConfigurationValue";
  EXPECT_EQ(d.config[7] & 0x80, 0x80) << "bit 7 of bmAttributes must be set";

  const auto w = walk(d.config);
  ASSERT_EQ(w.descriptors.size(), 1u + 4 * 2);
  for (uint8_t alt = 0; alt < 4; ++alt) {
    const auto& itf = w.descriptors[1 + 2 * alt];
    ASSERT_EQ(itf.size(), 9u);
    EXPECT_EQ(itf[1], 0x04);
    EXPECT_EQ(itf[2], 0) << "bInterfaceNumber";
    EXPECT_EQ(itf[3], alt) << "bAlternateSetting";
    EXPECT_EQ(itf[4], 0) << "control only";
    EXPECT_EQ(itf[5], 0xFE);
    EXPECT_EQ(itf[6], 0x01);
    EXPECT_EQ(itf[7], 0x02);
    EXPECT_EQ(w.descriptors[2 + 2 * alt], kDfuFunctional);
  }
  // Names by alt: Bootloader, Filesystem, Firmware, Filesystem (shared string).
  auto name_of = [&](uint8_t alt) { return d.strings.at(w.descriptors[1 + 2 * alt][8] - 1u); };
  EXPECT_EQ(name_of(0), "Bootloader");
  EXPECT_EQ(name_of(1), "Filesystem");
  EXPECT_EQ(name_of(2), "Firmware");
  EXPECT_EQ(w.descriptors[3][8], w.descriptors[7][8]) << "identical names share one string index";
}

TEST(GadgetDescriptors, EndpointsFollowTheirInterface) {
  auto info = camera();
  info.interfaces = {dfu_alt(0, "x")};
  info.interfaces[0].extra.clear();
  info.interfaces[0].endpoints = {{0x81, 0x02, 64}, {0x02, 0x02, 64}, {0x83, 0x03, 8}};
  const auto w = walk(build_descriptors(info).config);
  ASSERT_EQ(w.descriptors.size(), 5u);
  EXPECT_EQ(w.descriptors[1][4], 3) << "bNumEndpoints";
  EXPECT_EQ(w.descriptors[2], (std::vector<uint8_t>{7, 0x05, 0x81, 0x02, 64, 0, 0}));
  EXPECT_EQ(w.descriptors[4], (std::vector<uint8_t>{7, 0x05, 0x83, 0x03, 8, 0, 1}));
}

TEST(GadgetDescriptors, EmptyStringsGetIndexZero) {
  auto info = camera();
  info.manufacturer.clear();
  info.serial.clear();
  info.interfaces = {dfu_alt(0, "")};
  const auto d = build_descriptors(info);
  EXPECT_EQ(d.device[14], 0);
  EXPECT_EQ(d.device[15], 1);
  EXPECT_EQ(d.device[16], 0);
  EXPECT_EQ(walk(d.config).descriptors[1][8], 0);
  EXPECT_EQ(d.strings, std::vector<std::string>{"OpenMV Cam"});
}

TEST(GadgetDescriptors, MalformedClassBytesAreRefused) {
  auto info = camera();
  info.interfaces = {dfu_alt(0, "x")};
  info.interfaces[0].extra = {0x09, 0x21, 0x07};  // claims 9 bytes, has 3
  EXPECT_THROW(build_descriptors(info), Error);
  info.interfaces[0].extra = {0x00, 0x21};  // zero length would loop forever in a host parser
  EXPECT_THROW(build_descriptors(info), Error);
}

TEST(GadgetDescriptors, TwoAltZeroOfOneInterfaceAreRefused) {
  auto info = camera();
  info.interfaces = {dfu_alt(0, "a"), dfu_alt(0, "b")};
  EXPECT_THROW(build_descriptors(info), Error);
}

TEST(GadgetStrings, LanguageListAndUtf16) {
  auto info = camera();
  info.product = "Cam \xC2\xB5 \xF0\x9F\x98\x80";  // "Cam µ 😀"
  const auto d = build_descriptors(info);
  EXPECT_EQ(string_descriptor(d, 0), (std::vector<uint8_t>{4, 0x03, 0x09, 0x04}));
  const auto manufacturer = string_descriptor(d, 1);
  ASSERT_TRUE(manufacturer);
  EXPECT_EQ((*manufacturer)[0], 2 + 2 * 6);
  EXPECT_EQ((*manufacturer)[1], 0x03);
  EXPECT_EQ(ascii_of(*manufacturer), "OpenMV");
  const auto product = string_descriptor(d, 2);
  ASSERT_TRUE(product);
  const std::vector<uint8_t> expected{2 + 2 * 8, 0x03, 'C', 0, 'a', 0, 'm', 0, ' ', 0, 0xB5, 0x00,
                                      ' ',       0,    0x3D, 0xD8, 0x00, 0xDE};
  EXPECT_EQ(*product, expected);
  EXPECT_FALSE(string_descriptor(d, static_cast<uint8_t>(d.strings.size() + 1)));
}

TEST(GadgetStrings, InvalidUtf8BecomesQuestionMarks) {
  auto info = camera();
  info.product = "a\xFF\xC2";
  const auto d = build_descriptors(info);
  EXPECT_EQ(ascii_of(*string_descriptor(d, 2)), "a??");
}

TEST(GadgetStrings, LongStringsAreCutToFitOneDescriptor) {
  auto info = camera();
  info.product = std::string(300, 'x');
  const auto d = build_descriptors(info);
  const auto s = string_descriptor(d, 2);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->size(), 2u + 2 * 126);
  EXPECT_EQ((*s)[0], s->size());
}

}  // namespace
}  // namespace omv::sim::gadget
