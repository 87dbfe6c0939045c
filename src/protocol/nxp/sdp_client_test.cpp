#include "protocol/nxp/sdp_client.h"

#include <gtest/gtest.h>

#include "protocol/nxp/fake_hid_for_tests.h"

namespace omv::protocol::nxp::sdp {
namespace {

using testing::bytes;
using testing::FakeHid;

TEST(SdpFrame, CommandVectors) {
  EXPECT_EQ(command_report({CommandType::write_file, 0x20001C00, 0, 0x10000, 0}),
            bytes("01 04 04 20 00 1c 00 00 00 01 00 00 00 00 00 00 00"));
  EXPECT_EQ(command_report({CommandType::jump_address, 0x20001C00, 0, 0, 0}),
            bytes("01 0b 0b 20 00 1c 00 00 00 00 00 00 00 00 00 00 00"));
  EXPECT_EQ(command_report({CommandType::error_status, 0, 0, 0, 0}),
            bytes("01 05 05 00 00 00 00 00 00 00 00 00 00 00 00 00 00"));
  EXPECT_EQ(command_report({CommandType::read_register, 0x401F4000, 32, 4, 0}),
            bytes("01 01 01 40 1f 40 00 20 00 00 00 04 00 00 00 00 00"));
  EXPECT_EQ(command_report({CommandType::write_register, 0x20000000, 32, 4, 0x12345678}),
            bytes("01 02 02 20 00 00 00 20 00 00 00 04 12 34 56 78 00"));
}

TEST(SdpFrame, DecodesWhatItEncodes) {
  Command c{CommandType::write_register, 0x20000000, 32, 4, 0x12345678};
  auto round = decode_command(encode_command(c));
  ASSERT_TRUE(round);
  EXPECT_EQ(*round, c);
  std::string why;
  EXPECT_FALSE(decode_command(bytes("77 77 00 00"), &why));
  EXPECT_FALSE(decode_command(bytes("77 77 00 00 00 00 00 00 00 00 00 00 00 00 00 00"), &why));
  EXPECT_NE(why.find("0x7777"), std::string::npos);
}

TEST(SdpFrame, InReportVectors) {
  EXPECT_EQ(hab_report(kHabOpen), bytes("03 56 78 78 56"));
  EXPECT_EQ(hab_report(kHabClosed), bytes("03 12 34 34 12"));
  auto complete = status_word_report(kFileComplete);
  ASSERT_EQ(complete.size(), 65u);
  EXPECT_EQ(std::vector<uint8_t>(complete.begin(), complete.begin() + 6), bytes("04 88 88 88 88 00"));
  auto r = decode_in_report(bytes("03 56 78 78 56"));
  ASSERT_TRUE(r);
  EXPECT_EQ(hab_name(word_be(r->payload)), "HAB open");
  EXPECT_EQ(hab_name(kHabClosed), "HAB closed (secure boot)");
  EXPECT_FALSE(decode_in_report(bytes("03 56 78")));
  EXPECT_FALSE(decode_in_report(bytes("07 00 00 00 00")));
}

TEST(SdpFrame, DataReportsArePaddedTo1024) {
  std::vector<uint8_t> data(1500, 0xAA);
  auto frames = data_reports(data);
  ASSERT_EQ(frames.size(), 2u);
  EXPECT_EQ(frames[0].size(), 1025u);
  EXPECT_EQ(frames[1].size(), 1025u);
  EXPECT_EQ(frames[1][0], kReportData);
  EXPECT_EQ(frames[1][476], 0xAA);
  EXPECT_EQ(frames[1][477], 0x00);
}

TEST(SdpClient, WriteFileSequence) {
  FakeHid hid;
  hid.push(hab_report(kHabOpen));
  hid.push(status_word_report(kFileComplete));
  Client client(hid);
  std::vector<uint8_t> image(0x10000, 0x5A);
  uint64_t last = 0;
  client.write_file(0x20001C00, image, [&](uint64_t done) { last = done; });
  ASSERT_EQ(hid.written.size(), 1u + 64u);
  EXPECT_EQ(hid.written[0], bytes("01 04 04 20 00 1c 00 00 00 01 00 00 00 00 00 00 00"));
  EXPECT_EQ(hid.written[1].size(), 1025u);
  EXPECT_EQ(last, 0x10000u);
  EXPECT_EQ(client.last_hab(), kHabOpen);
}

TEST(SdpClient, WriteFileFailureNamesTheWord) {
  FakeHid hid;
  hid.push(hab_report(kHabClosed));
  hid.push(status_word_report(0x33333333));
  Client client(hid);
  std::vector<uint8_t> image(16);
  try {
    client.write_file(0x20001C00, image);
    FAIL();
  } catch (const RomError& e) {
    EXPECT_EQ(e.word(), 0x33333333u);
    EXPECT_NE(std::string(e.what()).find("0x33333333"), std::string::npos);
  }
}

TEST(SdpClient, JumpSucceedsWhenTheRomLeaves) {
  FakeHid hid;
  hid.responder = [](const std::vector<uint8_t>&, FakeHid& dev) {
    dev.push(hab_report(kHabOpen));
    dev.gone = true;
  };
  Client client(hid);
  client.jump_address(0x20001C00);
  EXPECT_EQ(hid.written[0], bytes("01 0b 0b 20 00 1c 00 00 00 00 00 00 00 00 00 00 00"));
}

TEST(SdpClient, JumpSucceedsWhenTheRomSaysNothingMore) {
  FakeHid hid;
  hid.push(hab_report(kHabOpen));
  Client client(hid);
  client.jump_address(0x20001C00);
}

TEST(SdpClient, JumpToSomethingThatIsNotAnImage) {
  FakeHid hid;
  hid.push(hab_report(kHabOpen));
  hid.push(status_word_report(kNotAnIvt));
  Client client(hid);
  try {
    client.jump_address(0x20001C00);
    FAIL();
  } catch (const RomError& e) {
    EXPECT_EQ(e.word(), kNotAnIvt);
    EXPECT_NE(std::string(e.what()).find("not an IVT"), std::string::npos);
    EXPECT_NE(e.hint().find("IVT"), std::string::npos);
  }
}

TEST(SdpClient, RegistersAndErrorStatus) {
  FakeHid hid;
  hid.push(hab_report(kHabOpen));
  hid.push(status_report(bytes("78 56 34 12")));
  hid.push(hab_report(kHabOpen));
  hid.push(status_word_report(kWriteComplete));
  hid.push(hab_report(kHabOpen));
  hid.push(status_word_report(kHabSuccess));
  Client client(hid);
  EXPECT_EQ(client.read_register(0x401F4000, 4), bytes("78 56 34 12"));
  client.write_register(0x20000000, 0x12345678);
  EXPECT_EQ(client.error_status(), kHabSuccess);
  EXPECT_EQ(hid.written[0], bytes("01 01 01 40 1f 40 00 20 00 00 00 04 00 00 00 00 00"));
  EXPECT_EQ(hid.written[1], bytes("01 02 02 20 00 00 00 20 00 00 00 04 12 34 56 78 00"));
  EXPECT_EQ(hid.written[2], bytes("01 05 05 00 00 00 00 00 00 00 00 00 00 00 00 00 00"));
}

TEST(SdpClient, ReadRegisterSpansSeveralReports) {
  FakeHid hid;
  hid.push(hab_report(kHabOpen));
  hid.push(status_report(std::vector<uint8_t>(64, 1)));
  hid.push(status_report(std::vector<uint8_t>(64, 2)));
  Client client(hid);
  auto data = client.read_register(0x20000000, 100);
  ASSERT_EQ(data.size(), 100u);
  EXPECT_EQ(data[63], 1);
  EXPECT_EQ(data[64], 2);
}

TEST(SdpClient, SilentRomTimesOut) {
  FakeHid hid;
  Client client(hid);
  try {
    client.error_status();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::timeout);
  }
}

TEST(SdpClient, UnknownHabWordIsGarbage) {
  FakeHid hid;
  hid.push(bytes("03 de ad be ef"));
  Client client(hid);
  EXPECT_THROW(client.error_status(), Error);
}

}  // namespace
}  // namespace omv::protocol::nxp::sdp
