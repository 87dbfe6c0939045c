#include "protocol/nxp/mboot_client.h"

#include <gtest/gtest.h>

#include "protocol/nxp/fake_hid_for_tests.h"
#include "protocol/nxp/mboot_codes.h"

namespace omv::protocol::nxp::mboot {
namespace {

using testing::bytes;
using testing::FakeHid;

std::vector<uint8_t> generic(uint32_t status, uint8_t tag) { return response_report(Packet{0xA0, 0, {status, tag}}); }

ClientOptions fixed_payload(size_t n) {
  ClientOptions o;
  o.max_data_payload = n;
  return o;
}

TEST(MbootClient, GetPropertyVersion) {
  FakeHid hid;
  hid.push(bytes("03 00 0c 00 a7 00 00 02 00 00 00 00 00 08 02 4b"));
  Client client(hid);
  EXPECT_EQ(client.current_version(), 0x4B020800u);
  ASSERT_EQ(hid.written.size(), 1u);
  EXPECT_EQ(hid.written[0], bytes("01 00 0c 00 07 00 00 02 01 00 00 00 00 00 00 00"));
}

TEST(MbootClient, MaxPacketSizeIsAskedOnceAndUsedToSplitData) {
  FakeHid hid;
  hid.push(response_report(Packet{0xA7, 0, {0, 64}}));
  Client client(hid);
  EXPECT_EQ(client.max_data_payload(), 64u);
  EXPECT_EQ(client.max_data_payload(), 64u);
  EXPECT_EQ(hid.written.size(), 1u);
}

TEST(MbootClient, UnknownMaxPacketSizeFallsBackTo32) {
  FakeHid hid;
  hid.push(response_report(Packet{0xA0, 0, {status::unknown_property, 0x07}}));
  Client client(hid);
  EXPECT_EQ(client.max_data_payload(), 32u);
}

TEST(MbootClient, FillAndConfigureVectors) {
  FakeHid hid;
  hid.push(bytes("03 00 0c 00 a0 00 00 02 00 00 00 00 05 00 00 00"));
  hid.push(generic(0, 0x11));
  Client client(hid);
  client.fill_memory(0x2000, 4, 0xC0000008);
  client.configure_memory(9, 0x2000);
  ASSERT_EQ(hid.written.size(), 2u);
  EXPECT_EQ(hid.written[0], bytes("01 00 10 00 05 00 00 03 00 20 00 00 04 00 00 00 08 00 00 c0"));
  EXPECT_EQ(hid.written[1], bytes("01 00 0c 00 11 00 00 02 09 00 00 00 00 20 00 00"));
}

TEST(MbootClient, WriteMemoryDataPhase) {
  FakeHid hid;
  std::vector<uint8_t> data(100);
  for (size_t i = 0; i < data.size(); ++i) data[i] = static_cast<uint8_t>(i);
  hid.push(generic(0, 0x04));  // initial
  hid.push(generic(0, 0x04));  // final
  Client client(hid, fixed_payload(32));
  std::vector<uint64_t> seen;
  client.write_memory(0x60040000, data, 0, [&](uint64_t done) { seen.push_back(done); });
  ASSERT_EQ(hid.written.size(), 5u);
  EXPECT_EQ(hid.written[0], bytes("01 00 10 00 04 01 00 03 00 00 04 60 64 00 00 00 00 00 00 00"));
  EXPECT_EQ(hid.written[1].size(), 4u + 32u);
  EXPECT_EQ(hid.written[1][0], kReportDataOut);
  EXPECT_EQ(hid.written[1][2], 32);
  EXPECT_EQ(hid.written[4][2], 4);  // 100 = 3 x 32 + 4
  EXPECT_EQ(hid.written[4][4], 96);
  EXPECT_EQ(seen, (std::vector<uint64_t>{32, 64, 96, 100}));
}

TEST(MbootClient, WriteRefusedByInitialResponseSendsNoData) {
  FakeHid hid;
  hid.push(generic(status::memory_not_configured, 0x04));
  Client client(hid, fixed_payload(32));
  std::vector<uint8_t> data(64, 0xAB);
  try {
    client.write_memory(0x60040000, data);
    FAIL() << "no error";
  } catch (const StatusError& e) {
    EXPECT_EQ(e.status(), status::memory_not_configured);
    EXPECT_NE(std::string(e.what()).find("MemoryNotConfigured (10205)"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("write-memory(0x60040000, 0x40, 0x0)"), std::string::npos) << e.what();
    EXPECT_FALSE(e.hint().empty());
  }
  EXPECT_EQ(hid.written.size(), 1u);
}

TEST(MbootClient, WriteStopsAtADeviceAbort) {
  FakeHid hid;
  int data_frames = 0;
  hid.responder = [&](const std::vector<uint8_t>& r, FakeHid& dev) {
    if (r[0] == kReportCommandOut) dev.push(generic(0, 0x04));
    if (r[0] == kReportDataOut && ++data_frames == 2) {
      dev.push(bytes("04 00 00 00"));
      dev.push(generic(status::flexspi_nor_program_fail, 0x04));
    }
  };
  ClientOptions o = fixed_payload(32);
  o.abort_poll_every = 2;
  Client client(hid, o);
  std::vector<uint8_t> data(32 * 10, 0x55);
  try {
    client.write_memory(0x60040000, data);
    FAIL() << "no error";
  } catch (const StatusError& e) {
    EXPECT_EQ(e.status(), status::flexspi_nor_program_fail);
    EXPECT_NE(std::string(e.what()).find("FlexSPINOR_ProgramFail"), std::string::npos);
  }
  EXPECT_EQ(data_frames, 2);
}

TEST(MbootClient, ReadMemoryDataPhase) {
  FakeHid hid;
  hid.push(response_report(Packet{0xA3, 1, {0, 6}}));
  hid.push(bytes("04 00 04 00 01 02 03 04"));
  hid.push(bytes("04 00 02 00 05 06"));
  hid.push(generic(0, 0x03));
  Client client(hid);
  auto data = client.read_memory(0x60000000, 6);
  EXPECT_EQ(data, bytes("01 02 03 04 05 06"));
  EXPECT_EQ(hid.written[0], bytes("01 00 10 00 03 00 00 03 00 00 00 60 06 00 00 00 00 00 00 00"));
}

TEST(MbootClient, ReadMemoryAbortCarriesTheStatus) {
  FakeHid hid;
  hid.push(response_report(Packet{0xA3, 1, {0, 8}}));
  hid.push(bytes("04 00 04 00 01 02 03 04"));
  hid.push(bytes("04 00 00 00"));
  hid.push(generic(status::memory_read_failed, 0x03));
  Client client(hid);
  try {
    client.read_memory(0x60000000, 8);
    FAIL();
  } catch (const StatusError& e) {
    EXPECT_EQ(e.status(), status::memory_read_failed);
  }
}

TEST(MbootClient, ReadMemoryRefusedByName) {
  FakeHid hid;
  hid.push(generic(status::memory_range_invalid, 0x03));
  Client client(hid);
  try {
    client.read_memory(0x70000000, 8);
    FAIL();
  } catch (const StatusError& e) {
    EXPECT_NE(std::string(e.what()).find("MemoryRangeInvalid"), std::string::npos);
  }
}

TEST(MbootClient, ResponseForAnotherCommandIsAnError) {
  FakeHid hid;
  hid.push(generic(0, 0x05));
  Client client(hid);
  try {
    client.flash_erase_region(0x60400000, 0x1000);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::device_error);
    EXPECT_NE(std::string(e.what()).find("fill-memory"), std::string::npos) << e.what();
  }
}

TEST(MbootClient, SilenceIsATimeout) {
  FakeHid hid;
  Client client(hid);
  try {
    client.flash_erase_region(0x60400000, 0x1000);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::timeout);
    EXPECT_NE(std::string(e.what()).find("flash-erase-region(0x60400000, 0x1000, 0x0)"), std::string::npos) << e.what();
  }
}

TEST(MbootClient, GarbageIsADeviceError) {
  FakeHid hid;
  hid.push(bytes("03 00 ff 00 a0"));
  Client client(hid);
  try {
    client.fill_memory(0x2000, 4, 1);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::device_error);
  }
}

TEST(MbootClient, EfuseProgramAndRead) {
  FakeHid hid;
  hid.push(generic(0, 0x0E));
  hid.push(response_report(Packet{0xAF, 0, {0, 4, 0x10}}));
  Client client(hid);
  client.efuse_program_once(0x06, 0x10);
  EXPECT_EQ(client.efuse_read_once(0x06), 0x10u);
  EXPECT_EQ(hid.written[0], bytes("01 00 10 00 0e 00 00 03 06 00 00 00 04 00 00 00 10 00 00 00"));
  EXPECT_EQ(hid.written[1], bytes("01 00 0c 00 0f 00 00 02 06 00 00 00 04 00 00 00"));
}

TEST(MbootClient, EfuseLockedByName) {
  FakeHid hid;
  hid.push(generic(status::otp_locked, 0x0E));
  Client client(hid);
  try {
    client.efuse_program_once(0x06, 0x10);
    FAIL();
  } catch (const StatusError& e) {
    EXPECT_NE(std::string(e.what()).find("OTP_FieldLocked"), std::string::npos);
  }
}

TEST(MbootClient, ResetToleratesADeviceThatLeaves) {
  FakeHid answered;
  answered.push(generic(0, 0x0B));
  Client(answered).reset();
  EXPECT_EQ(answered.written[0], bytes("01 00 04 00 0b 00 00 00"));

  FakeHid gone;
  gone.gone = true;
  gone.responder = nullptr;
  Client silent(gone);
  EXPECT_THROW(silent.fill_memory(0, 4, 0), Error);  // other commands do not tolerate it
  FakeHid left;
  left.responder = [](const std::vector<uint8_t>&, FakeHid& dev) { dev.gone = true; };
  Client(left).reset();
}

}  // namespace
}  // namespace omv::protocol::nxp::mboot
