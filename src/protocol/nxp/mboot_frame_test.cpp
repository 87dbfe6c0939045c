#include "protocol/nxp/mboot_frame.h"

#include <gtest/gtest.h>

#include "protocol/nxp/fake_hid_for_tests.h"
#include "protocol/nxp/mboot_codes.h"

namespace omv::protocol::nxp::mboot {
namespace {

using testing::bytes;

std::vector<uint8_t> cmd(CommandTag tag, std::vector<uint32_t> params, uint8_t flags = 0) {
  return command_report(Packet{static_cast<uint8_t>(tag), flags, std::move(params)});
}

// Every command vector of the reference notes (report id first).
TEST(MbootFrame, CommandVectors) {
  EXPECT_EQ(cmd(CommandTag::get_property, {1, 0}), bytes("01 00 0c 00 07 00 00 02 01 00 00 00 00 00 00 00"));
  EXPECT_EQ(cmd(CommandTag::fill_memory, {0x2000, 4, 0xC0000008}),
            bytes("01 00 10 00 05 00 00 03 00 20 00 00 04 00 00 00 08 00 00 c0"));
  EXPECT_EQ(cmd(CommandTag::configure_memory, {9, 0x2000}), bytes("01 00 0c 00 11 00 00 02 09 00 00 00 00 20 00 00"));
  EXPECT_EQ(cmd(CommandTag::flash_erase_all, {9}), bytes("01 00 08 00 01 00 00 01 09 00 00 00"));
  EXPECT_EQ(cmd(CommandTag::flash_erase_region, {0x60040000, 0x3C0000, 0}),
            bytes("01 00 10 00 02 00 00 03 00 00 04 60 00 00 3c 00 00 00 00 00"));
  EXPECT_EQ(cmd(CommandTag::write_memory, {0x60040000, 0x1000, 0}, kFlagHasDataPhase),
            bytes("01 00 10 00 04 01 00 03 00 00 04 60 00 10 00 00 00 00 00 00"));
  EXPECT_EQ(cmd(CommandTag::read_memory, {0x60000000, 0x200, 0}),
            bytes("01 00 10 00 03 00 00 03 00 00 00 60 00 02 00 00 00 00 00 00"));
  EXPECT_EQ(cmd(CommandTag::flash_program_once, {0x2D, 4, 0x10}),
            bytes("01 00 10 00 0e 00 00 03 2d 00 00 00 04 00 00 00 10 00 00 00"));
  EXPECT_EQ(cmd(CommandTag::flash_program_once, {0x2D | 1u << 24, 4, 0x10}),
            bytes("01 00 10 00 0e 00 00 03 2d 00 00 01 04 00 00 00 10 00 00 00"));
  EXPECT_EQ(cmd(CommandTag::flash_read_once, {0x2D, 4}), bytes("01 00 0c 00 0f 00 00 02 2d 00 00 00 04 00 00 00"));
  EXPECT_EQ(cmd(CommandTag::execute, {0x20001C00, 0, 0}), bytes("01 00 10 00 09 00 00 03 00 1c 00 20 00 00 00 00 00 00 00 00"));
  EXPECT_EQ(cmd(CommandTag::reset, {}), bytes("01 00 04 00 0b 00 00 00"));
  EXPECT_EQ(encode_report(kReportDataOut, bytes("01 02 03 04")), bytes("02 00 04 00 01 02 03 04"));
}

TEST(MbootFrame, ResponseVectors) {
  auto ok = decode_report(bytes("03 00 0c 00 a0 00 00 02 00 00 00 00 05 00 00 00"));
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->report_id, kReportCommandIn);
  auto p = decode_packet(ok->payload);
  ASSERT_TRUE(p);
  EXPECT_EQ(*p, (Packet{0xA0, 0, {0, 5}}));

  auto unknown = decode_packet(decode_report(bytes("03 00 0c 00 a0 00 00 02 10 27 00 00 14 00 00 00"))->payload);
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->params, (std::vector<uint32_t>{10000, 0x14}));
  EXPECT_EQ(status_name(unknown->params[0]), "UnknownCommand");

  auto prop = decode_packet(decode_report(bytes("03 00 0c 00 a7 00 00 02 00 00 00 00 00 00 01 4b"))->payload);
  ASSERT_TRUE(prop);
  EXPECT_EQ(prop->tag, 0xA7);
  EXPECT_EQ(prop->params[1], 0x4B010000u);

  auto read = decode_packet(decode_report(bytes("03 00 0c 00 a3 01 00 02 00 00 00 00 00 02 00 00"))->payload);
  ASSERT_TRUE(read);
  EXPECT_TRUE(read->has_data_phase());
  EXPECT_EQ(read->params[1], 0x200u);

  auto data = decode_report(bytes("04 00 04 00 01 02 03 04"));
  ASSERT_TRUE(data);
  EXPECT_EQ(data->payload, bytes("01 02 03 04"));
  auto abort = decode_report(bytes("04 00 00 00"));
  ASSERT_TRUE(abort);
  EXPECT_TRUE(abort->payload.empty());
}

TEST(MbootFrame, EncodesTheVectorsTheDeviceSends) {
  EXPECT_EQ(response_report(Packet{0xA0, 0, {0, 5}}), bytes("03 00 0c 00 a0 00 00 02 00 00 00 00 05 00 00 00"));
  EXPECT_EQ(response_report(Packet{0xA3, 1, {0, 0x200}}), bytes("03 00 0c 00 a3 01 00 02 00 00 00 00 00 02 00 00"));
}

TEST(MbootFrame, PaddingAfterThePacketIsIgnored) {
  auto padded = bytes("03 00 0c 00 a0 00 00 02 00 00 00 00 05 00 00 00");
  padded.resize(64, 0xEE);
  auto r = decode_report(padded);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->payload.size(), 12u);
}

TEST(MbootFrame, RejectsMalformedReports) {
  std::string why;
  EXPECT_FALSE(decode_report(bytes("03 00"), &why));
  EXPECT_NE(why.find("shorter"), std::string::npos);
  EXPECT_FALSE(decode_report(bytes("03 00 10 00 a0 00"), &why));
  EXPECT_NE(why.find("announces 16"), std::string::npos);
  EXPECT_FALSE(decode_report(bytes("09 00 00 00"), &why));
  EXPECT_FALSE(decode_packet(bytes("a0 00 00 08"), &why));
  EXPECT_FALSE(decode_packet(bytes("a0 00 00 02 00 00 00 00"), &why));
  EXPECT_NE(why.find("2 parameters"), std::string::npos);
}

TEST(MbootFrame, NamesStatusesAndCommands) {
  EXPECT_EQ(status_name(10205), "MemoryNotConfigured");
  EXPECT_EQ(describe_status(10206), "status MemoryAlignmentError (10206)");
  EXPECT_EQ(describe_status(424242), "unknown status 424242 (0x67932)");
  EXPECT_EQ(command_name(0x0E), "efuse-program-once");
  EXPECT_EQ(describe_command(Packet{0x02, 0, {0x60400000, 0x1000, 0}}), "flash-erase-region(0x60400000, 0x1000, 0x0)");
  EXPECT_EQ(property_name(0x0B), "MaxPacketSize");
}

}  // namespace
}  // namespace omv::protocol::nxp::mboot
