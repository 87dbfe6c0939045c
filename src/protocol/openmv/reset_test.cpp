// The host engine against the device model, in memory: both protocols, old bootloaders,
// silence, echo and garbage.
#include "protocol/openmv/reset.h"

#include <gtest/gtest.h>

#include <deque>

#include "core/error.h"
#include "sim/models/openmv_app_model.h"

namespace omv::protocol::openmv {
namespace {

// A SerialPort whose far end is the running-camera model (or a scripted answer).
class ModelPort : public transport::SerialPort {
 public:
  explicit ModelPort(sim::AppFirmware firmware) : model_(std::move(firmware)) {}
  const std::string& path() const override { return path_; }
  void set_baud(uint32_t baud) override { baud_ = baud; }
  void set_dtr(bool) override {}
  void set_rts(bool) override {}
  void write(std::span<const uint8_t> data) override {
    written_.insert(written_.end(), data.begin(), data.end());
    if (scripted_) {
      incoming_.insert(incoming_.end(), script_.begin(), script_.end());
      script_.clear();
      return;
    }
    auto out = model_.receive(data, baud_);
    incoming_.insert(incoming_.end(), out.begin(), out.end());
  }
  size_t read(std::span<uint8_t> data, transport::Millis) override {
    size_t n = 0;
    while (n < data.size() && !incoming_.empty()) {
      data[n++] = incoming_.front();
      incoming_.pop_front();
    }
    return n;
  }
  void drain() override {}
  void script(std::vector<uint8_t> answer) {
    scripted_ = true;
    script_ = std::move(answer);
  }

  sim::OpenmvAppModel model_;
  std::vector<uint8_t> written_;
  uint32_t baud_ = kMagicBaud;

 private:
  std::string path_ = "/dev/ttyTEST";
  std::deque<uint8_t> incoming_;
  bool scripted_ = false;
  std::vector<uint8_t> script_;
};

const ResetTimeouts kFast{transport::Millis(20), transport::Millis(20)};

TEST(OpenmvReset, ProtocolFirmwareGetsSysBoot) {
  ModelPort port(sim::AppFirmware{});
  auto outcome = reset_to_bootloader(port, kFast);
  EXPECT_EQ(outcome.dialect, Dialect::openmv_protocol);
  EXPECT_EQ(outcome.command, "SYS_BOOT");
  EXPECT_TRUE(outcome.forced);
  ASSERT_TRUE(outcome.versions);
  EXPECT_EQ(outcome.versions->firmware.str(), "5.0.0");
  EXPECT_EQ(port.model_.exit_request(), sim::AppExit::bootloader_forced);
  auto stats = port.model_.stats();
  EXPECT_EQ(stats["sys_boot"], 1);
  EXPECT_EQ(stats["acks_in"], 1);  // the version answer was acknowledged
  EXPECT_FALSE(stats.contains("nak_sequence"));
}

TEST(OpenmvReset, OldBootloaderGetsSysReset) {
  sim::AppFirmware fw;
  fw.versions.bootloader = {1, 0, 1};
  ModelPort port(fw);
  auto outcome = reset_to_bootloader(port, kFast);
  EXPECT_EQ(outcome.command, "SYS_RESET");
  EXPECT_FALSE(outcome.forced);
  EXPECT_EQ(port.model_.exit_request(), sim::AppExit::reset);
}

TEST(OpenmvReset, LegacyFirmwareGetsUsbdbgReset) {
  sim::AppFirmware fw;
  fw.legacy = true;
  fw.versions.firmware = {4, 8, 1};
  ModelPort port(fw);
  auto outcome = reset_to_bootloader(port, kFast);
  EXPECT_EQ(outcome.dialect, Dialect::legacy_usbdbg);
  EXPECT_EQ(outcome.command, "USBDBG SYS_RESET_TO_BL");
  ASSERT_TRUE(outcome.legacy_firmware);
  EXPECT_EQ(outcome.legacy_firmware->minor, 8u);
  EXPECT_EQ(port.model_.exit_request(), sim::AppExit::bootloader_forced);
  const std::vector<uint8_t> tail(port.written_.end() - 6, port.written_.end());
  EXPECT_EQ(tail, (std::vector<uint8_t>{0x30, 0x0E, 0, 0, 0, 0}));
}

TEST(OpenmvReset, ReplEchoIsNamed) {
  ModelPort port(sim::AppFirmware{});
  port.baud_ = 115200;  // not the magic baud: the REPL answers
  try {
    reset_to_bootloader(port, kFast);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::device_error);
    EXPECT_NE(std::string(e.what()).find("/dev/ttyTEST"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("back unchanged"), std::string::npos);
  }
  EXPECT_EQ(port.model_.exit_request(), sim::AppExit::none);
}

TEST(OpenmvReset, SilenceIsATimeout) {
  ModelPort port(sim::AppFirmware{});
  port.script({});
  try {
    reset_to_bootloader(port, kFast);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::timeout);
    EXPECT_NE(std::string(e.what()).find("no answer"), std::string::npos);
  }
}

TEST(OpenmvReset, GarbageIsADeviceError) {
  ModelPort port(sim::AppFirmware{});
  port.script({'O', 'K', '\r', '\n', 'A', 'T'});
  try {
    reset_to_bootloader(port, kFast);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::device_error);
    EXPECT_NE(std::string(e.what()).find("4f 4b 0d 0a"), std::string::npos);
  }
}

TEST(OpenmvAppModel, NaksBadSequenceAndCrc) {
  sim::OpenmvAppModel model(sim::AppFirmware{});
  auto sync = encode(make_command(Opcode::proto_sync, 0));
  auto answer = model.receive(sync, kMagicBaud);
  auto ack = decode(answer);
  ASSERT_TRUE(ack);
  EXPECT_TRUE(ack->is_ack());
  auto wrong_seq = encode(make_command(Opcode::proto_version, 9));
  auto nak = decode(model.receive(wrong_seq, kMagicBaud));
  ASSERT_TRUE(nak);
  EXPECT_EQ(nak->nak_status(), Status::sequence);
  auto corrupt = encode(make_command(Opcode::proto_set_caps, 1, std::vector<uint8_t>(16, 0)));
  corrupt[12] ^= 1;
  auto nak2 = decode(model.receive(corrupt, kMagicBaud));
  ASSERT_TRUE(nak2);
  EXPECT_EQ(nak2->nak_status(), Status::checksum);
  // SYS_BOOT with the right sequence number resets into the bootloader.
  model.receive(encode(make_command(Opcode::sys_boot, 2)), kMagicBaud);
  EXPECT_EQ(model.exit_request(), sim::AppExit::bootloader_forced);
}

TEST(OpenmvAppModel, TouchAt1200EntersBootloaderWhenEnabled) {
  sim::AppFirmware fw;
  fw.touch_1200 = true;
  sim::OpenmvAppModel model(fw);
  model.line_changed(1200, true);
  EXPECT_EQ(model.exit_request(), sim::AppExit::none);
  model.line_changed(1200, false);
  EXPECT_EQ(model.exit_request(), sim::AppExit::bootloader_forced);
  sim::OpenmvAppModel plain(sim::AppFirmware{});
  plain.line_changed(1200, false);
  EXPECT_EQ(plain.exit_request(), sim::AppExit::none);
}

}  // namespace
}  // namespace omv::protocol::openmv
