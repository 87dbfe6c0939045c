// The ISP engine against an in-process Secure Enclave that answers as the reference's checklist
// says (alif-isp.md §7): ACK to START, no echo, exact reply layouts, baud switch after the reply,
// BURN_MRAM as a state with 55 55-prefixed chunks, silence after RESET, SEPCTL for ALIF.
#include <gtest/gtest.h>

#include <deque>
#include <map>

#include "core/error.h"
#include "protocol/alif_isp/client.h"

namespace omv::protocol::alif_isp::client_test {
namespace {

using Bytes = std::vector<uint8_t>;

Bytes reply(uint8_t kind, Bytes payload = {}) {
  Bytes b{0, kind};
  b.insert(b.end(), payload.begin(), payload.end());
  b[0] = static_cast<uint8_t>(b.size() + 1);
  b.push_back(checksum(b));
  return b;
}

uint32_t le32(const Bytes& b, size_t at) {
  return b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (static_cast<uint32_t>(b[at + 3]) << 24);
}

class FakeEnclave : public transport::SerialPort {
 public:
  const std::string& path() const override { return path_; }
  void set_baud(uint32_t b) override { host_baud = b; }
  void set_dtr(bool) override {}
  void set_rts(bool) override {}
  void drain() override {}
  size_t read(std::span<uint8_t> data, transport::Millis) override {
    const size_t n = std::min(data.size(), rx_.size());
    for (size_t i = 0; i < n; ++i) {
      data[i] = rx_.front();
      rx_.pop_front();
    }
    return n;
  }
  void write(std::span<const uint8_t> data) override {
    if (data.size() == 4 && std::equal(data.begin(), data.end(), "ALIF")) return handshake();
    in_.feed(data);
    while (auto p = in_.next()) handle(*p);
  }

  std::map<uint32_t, uint8_t> mram;
  uint32_t host_baud = 55000, device_baud = 55000;
  bool maintenance = false, nak_second_chunk = false;
  int alifs_before_answer = 3;
  std::vector<std::string> commands;

 private:
  void queue(const Bytes& b) { rx_.insert(rx_.end(), b.begin(), b.end()); }
  void handshake() {
    if (alifs_before_answer-- > 0) return;
    if (answer_at_ < 6) rx_.push_back(static_cast<uint8_t>("SEPCTL"[answer_at_++]));
  }
  void handle(const Packet& p) {
    commands.push_back(command_name(p.kind));
    switch (static_cast<Command>(p.kind)) {
      case Command::start:
      case Command::stop:
      case Command::set_maintenance_flag:
        if (p.kind == static_cast<uint8_t>(Command::set_maintenance_flag)) maintenance = true;
        return queue(reply(kAck));
      case Command::reset: return;
      case Command::set_baud_rate:
        queue(reply(kAck));
        device_baud = le32(p.bytes, 2);
        return;
      case Command::enquiry: {
        Bytes e(13, 0);
        e[0] = 0x02;
        e[9] = maintenance ? 1 : 0;
        return queue(reply(kDataResponse, e));
      }
      case Command::get: return get(le32(p.bytes, 2));
      case Command::burn_mram:
        burn_at_ = le32(p.bytes, 2);
        burn_left_ = le32(p.bytes, 6);
        chunks_ = 0;
        return queue(reply(kAck));
      case Command::download_data: {
        if (p.bytes[2] != 0x55 || p.bytes[3] != 0x55 || burn_left_ == 0) return queue(reply(kNak, {0xF6}));
        if (nak_second_chunk && ++chunks_ == 2) return queue(reply(kNak, {0xEF}));
        for (size_t i = 4; i + 1 < p.bytes.size(); ++i) mram[burn_at_++] = p.bytes[i];
        burn_left_ -= static_cast<uint32_t>(p.bytes.size() - 5);
        chunk_sizes.push_back(p.bytes.size() - 5);
        return queue(reply(kAck));
      }
      case Command::download_done: return queue(reply(kAck));
      default: return queue(reply(kNak, {0xFC}));
    }
  }
  void get(uint32_t object) {
    if (object == static_cast<uint32_t>(GetObject::banner)) {
      queue(reply(kPrintData, {'[', 'S', 'E', 'S', ']', ' ', 'h', 'i', 0}));
      const std::string text = "SES B4 v1.103.0 Dec 12 2024 20:07:29";
      Bytes b(text.begin(), text.end());
      b.push_back(0);
      return queue(reply(kDataResponse, b));
    }
    if (object == static_cast<uint32_t>(GetObject::revision)) {
      Bytes r(133, 0);
      r[1] = 0xB4;
      return queue(reply(kDataResponse, r));
    }
    if (object == static_cast<uint32_t>(GetObject::toc_info)) {
      for (const char* name : {"HP_BOOT", "SERAM0"}) {
        Bytes e(48, 0);
        e[0] = kTocEntryMarker;
        std::copy(name, name + std::char_traits<char>::length(name), e.begin() + 1);
        queue(reply(kDataResponse, e));
      }
      return queue(reply(kAck));
    }
    queue(reply(kNak, {0xEE}));
  }

  std::string path_ = "/dev/ttyUSB-fake";
  PacketReader in_;
  std::deque<uint8_t> rx_;
  uint32_t burn_at_ = 0, burn_left_ = 0;
  int chunks_ = 0;
  size_t answer_at_ = 0;

 public:
  std::vector<size_t> chunk_sizes;
};

class SilentPort : public transport::SerialPort {
 public:
  const std::string& path() const override { return path_; }
  void set_baud(uint32_t) override {}
  void set_dtr(bool) override {}
  void set_rts(bool) override {}
  void drain() override {}
  void write(std::span<const uint8_t>) override {}
  size_t read(std::span<uint8_t>, transport::Millis) override { return 0; }

 private:
  std::string path_ = "/dev/ttyUSB-silent";
};

ClientOptions quick() {
  ClientOptions o;
  o.baud_settle = transport::Millis(0);
  o.start_gap = transport::Millis(1);
  return o;
}

TEST(AlifIspClient, QueriesTheEnclaveAndSwitchesBaudAfterItsReply) {
  FakeEnclave se;
  Client c(se, 55000, quick());
  ASSERT_TRUE(c.start());
  EXPECT_EQ(c.revision().revision_name(), "B4");
  EXPECT_EQ(c.banner(), "SES B4 v1.103.0 Dec 12 2024 20:07:29");
  ASSERT_EQ(c.printed().size(), 1u);
  EXPECT_EQ(c.printed()[0], "[SES] hi");
  auto toc = c.toc();
  ASSERT_EQ(toc.size(), 2u);
  EXPECT_EQ(toc[0].name, "HP_BOOT");
  EXPECT_EQ(c.enquiry().stage, Stage::seram);
  c.set_baud(921600);
  EXPECT_EQ(se.device_baud, 921600u);
  EXPECT_EQ(se.host_baud, 921600u);
  EXPECT_FALSE(c.enquiry().maintenance);
  c.set_maintenance_flag();
  EXPECT_TRUE(c.enquiry().maintenance);
}

TEST(AlifIspClient, BurnsMramInTheToolkitsChunksPaddedInMemory) {
  FakeEnclave se;
  Client c(se, 921600, quick());
  ASSERT_TRUE(c.start());
  Bytes image(1000);
  for (size_t i = 0; i < image.size(); ++i) image[i] = static_cast<uint8_t>(i * 7);
  uint64_t reported = 0;
  c.burn_mram(0x80000000, image, [&](uint64_t n) { reported = n; });
  EXPECT_EQ(reported, image.size());
  EXPECT_EQ(se.chunk_sizes, (std::vector<size_t>{240, 240, 240, 240, 48}));  // 1008 bytes: padded to 16
  for (size_t i = 0; i < image.size(); ++i) ASSERT_EQ(se.mram[0x80000000 + static_cast<uint32_t>(i)], image[i]) << i;
  EXPECT_EQ(se.mram[0x80000000 + 1007], 0);
  // A file of at most 240 bytes goes in 16-byte chunks.
  se.chunk_sizes.clear();
  c.burn_mram(0x8057E000, Bytes(200, 1));
  EXPECT_EQ(se.chunk_sizes.size(), 13u);
  EXPECT_EQ(se.chunk_sizes.front(), 16u);
}

TEST(AlifIspClient, ARefusedChunkNamesTheAddressAndSilenceNamesThePort) {
  FakeEnclave se;
  se.nak_second_chunk = true;
  Client c(se, 921600, quick());
  try {
    c.burn_mram(0x80000000, Bytes(4096, 2));
    ADD_FAILURE() << "a refused chunk was not reported";
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()), "the Secure Enclave refused DOWNLOAD_DATA at 0x800000F0: MRAM_WRITE_FAILED (0xEF)");
  }
  c.reset();  // no reply expected
  SilentPort quiet;
  ClientOptions o = quick();
  o.reply_timeout = transport::Millis(1);
  Client silent(quiet, 55000, o);
  EXPECT_FALSE(silent.start());
  try {
    silent.revision();
    ADD_FAILURE() << "silence was not reported";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::timeout);
    EXPECT_EQ(std::string(e.what()), "/dev/ttyUSB-silent: no reply to GET REVISION within 1 ms at 55000 baud");
  }
}

TEST(AlifIspClient, HardMaintenanceWaitsForSepctl) {
  FakeEnclave se;
  ClientOptions o = quick();
  o.handshake_poll = transport::Millis(0);
  Client c(se, 55000, o);
  int rounds = 0;
  EXPECT_TRUE(c.hard_maintenance_handshake([&] { return ++rounds > 100; }));
  EXPECT_GT(rounds, 6);
  FakeEnclave never;
  never.alifs_before_answer = 1 << 30;
  Client d(never, 55000, o);
  int tries = 0;
  EXPECT_FALSE(d.hard_maintenance_handshake([&] { return ++tries > 50; }));
}

}  // namespace
}  // namespace omv::protocol::alif_isp::client_test
