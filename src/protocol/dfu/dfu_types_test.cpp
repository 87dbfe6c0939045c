#include "protocol/dfu/dfu_types.h"

#include "protocol/dfu/dfu_device_info.h"

#include <gtest/gtest.h>

namespace omv::dfu {
namespace {

TEST(DfuTypes, FunctionalDescriptorsOfRealDevices) {
  // STM32F4 ROM and the OpenMV bootloader (reference notes, protocols §1.1).
  std::vector<uint8_t> st{0x09, 0x21, 0x0B, 0xFF, 0x00, 0x00, 0x08, 0x1A, 0x01};
  auto d = find_functional_descriptor(st);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->transfer_size, 2048);
  EXPECT_TRUE(d->is_dfuse());
  EXPECT_TRUE(d->will_detach());
  EXPECT_FALSE(d->manifestation_tolerant());
  std::vector<uint8_t> omv{0x09, 0x21, 0x07, 0xE8, 0x03, 0x00, 0x10, 0x01, 0x01};
  auto o = find_functional_descriptor(omv);
  ASSERT_TRUE(o);
  EXPECT_EQ(o->transfer_size, 4096);
  EXPECT_EQ(o->detach_timeout_ms, 1000);
  EXPECT_TRUE(o->manifestation_tolerant());
  EXPECT_EQ(o->encode(), omv);
}

TEST(DfuTypes, DescriptorFoundAfterOthersAndDfu10Form) {
  std::vector<uint8_t> extra{0x05, 0x24, 0x00, 0x10, 0x01, 0x07, 0x21, 0x03, 0x10, 0x00, 0x00, 0x04};
  auto d = find_functional_descriptor(extra);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->transfer_size, 1024);
  EXPECT_EQ(d->dfu_version, 0x0100);
}

TEST(DfuTypes, MalformedDescriptorListsYieldNothing) {
  EXPECT_FALSE(find_functional_descriptor(std::vector<uint8_t>{}));
  EXPECT_FALSE(find_functional_descriptor(std::vector<uint8_t>{0x00, 0x21}));        // zero length
  EXPECT_FALSE(find_functional_descriptor(std::vector<uint8_t>{0x09, 0x21, 0x07}));  // truncated
  EXPECT_FALSE(find_functional_descriptor(std::vector<uint8_t>{0x03, 0x21, 0x07}));  // too short for DFU
}

TEST(DfuTypes, StatusRoundTripAndNames) {
  // DfuSe busy erasing, 100 ms: 00 64 00 00 04 00.
  std::vector<uint8_t> busy{0x00, 0x64, 0x00, 0x00, 0x04, 0x00};
  auto s = parse_status(busy);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->poll_timeout_ms, 100u);
  EXPECT_STREQ(state_name(s->state), "dfuDNBUSY");
  auto e = encode_status({0x0B, 0x123456, 10, 0});
  EXPECT_EQ(e[1], 0x56);
  EXPECT_EQ(e[3], 0x12);
  EXPECT_EQ(parse_status(e)->poll_timeout_ms, 0x123456u);
  EXPECT_STREQ(status_name(3), "errWRITE");
  EXPECT_STREQ(status_name(200), "INVALID");
  EXPECT_FALSE(parse_status(std::vector<uint8_t>{1, 2, 3}));
}

TEST(DfuDeviceInfo, OpenmvBootloaderVersionAndAlts) {
  transport::UsbDeviceInfo info;
  info.bcd_device = 0x0103;
  for (const char* name : {"BOOTLOADER", "FILESYSTEM"}) {
    transport::UsbInterfaceInfo i;
    i.cls = kDfuClass;
    i.subclass = kDfuSubclass;
    i.name = name;
    i.extra = {0x09, 0x21, 0x07, 0xE8, 0x03, 0x00, 0x10, 0x01, 0x01};
    info.interfaces.push_back(i);
  }
  EXPECT_TRUE(is_dfu_device(info));
  auto j = describe_dfu_device(info, true);
  EXPECT_EQ(j["bootloader_version"], "1.0.3");
  EXPECT_EQ(j["alts"][1], "FILESYSTEM");
  EXPECT_EQ(j["transfer_size"], 4096);
  EXPECT_EQ(j["dfuse"], false);
  info.interfaces.clear();
  EXPECT_FALSE(is_dfu_device(info));
}

}  // namespace
}  // namespace omv::dfu
