#include "protocol/samba/client.h"

#include <gtest/gtest.h>

#include <deque>
#include <functional>
#include <string>

#include "protocol/samba/crc16.h"

namespace omv::protocol::samba {
namespace {

using transport::Millis;

// A serial port whose device side is a function of what the host wrote.
class ScriptedPort : public transport::SerialPort {
 public:
  using Responder = std::function<std::string(const std::string& written)>;
  explicit ScriptedPort(Responder r) : respond_(std::move(r)) {}
  const std::string& path() const override { return path_; }
  void set_baud(uint32_t) override {}
  void set_dtr(bool) override {}
  void set_rts(bool) override {}
  void write(std::span<const uint8_t> data) override {
    std::string s(data.begin(), data.end());
    log.push_back(s);
    for (char c : respond_(s)) rx_.push_back(static_cast<uint8_t>(c));
  }
  size_t read(std::span<uint8_t> data, Millis) override {
    size_t n = 0;
    while (n < data.size() && !rx_.empty()) {
      data[n++] = rx_.front();
      rx_.pop_front();
    }
    return n;
  }
  void drain() override {}
  std::vector<std::string> log;

 private:
  std::string path_ = "/dev/ttyTEST";
  Responder respond_;
  std::deque<uint8_t> rx_;
};

const std::string kVersion = "Arduino Bootloader (SAM-BA extended) 2.0 [Arduino:IKXYZ]\n\r";

std::string nano(const std::string& w) {
  if (w == "N#") return "\n\r";
  if (w == "V#") return kVersion;
  if (w == "I#") return "nRF52840-QIAA\n\r";
  if (w.rfind("X", 0) == 0) return "X\n\r";
  if (w.rfind("Y", 0) == 0) return "Y\n\r";
  return "";
}

ClientOptions fast() {
  ClientOptions o;
  o.reply_timeout = Millis(30);
  return o;
}

TEST(SambaClient, ConnectSendsBinaryModeVersionAndId) {
  ScriptedPort port(nano);
  Client client(port, fast());
  const auto& v = client.connect();
  EXPECT_TRUE(v.identify);
  EXPECT_EQ(client.chip(), "nRF52840-QIAA");
  EXPECT_EQ(port.log, (std::vector<std::string>{"N#", "V#", "I#"}));
}

TEST(SambaClient, WriteLoadsTheBufferAndCopiesIt) {
  ScriptedPort port(nano);
  Client client(port, fast());
  client.connect();
  port.log.clear();
  std::vector<uint8_t> data(4096 + 100, 0xA5);
  uint64_t last = 0;
  client.write(0x16000, data, Millis(30), [&](uint64_t done) { last = done; });
  EXPECT_EQ(last, data.size());
  ASSERT_EQ(port.log.size(), 8u);
  EXPECT_EQ(port.log[0], "S00000034,00001000#");
  EXPECT_EQ(port.log[1].size(), 4096u);
  EXPECT_EQ(port.log[2], "Y00000034,0#");
  EXPECT_EQ(port.log[3], "Y00016000,00001000#");
  EXPECT_EQ(port.log[4], "S00000034,00000064#");
  EXPECT_EQ(port.log[6], "Y00000034,0#");
  EXPECT_EQ(port.log[7], "Y00017000,00000064#");
}

TEST(SambaClient, ChecksumAndReadInBossacSizedChunks) {
  ScriptedPort port([](const std::string& w) -> std::string {
    if (w.rfind("Z", 0) == 0) return "Z000031C3#\n\r";
    if (w.rfind("R", 0) == 0) return std::string(std::stoul(w.substr(10, 8), nullptr, 16), 'r');
    return nano(w);
  });
  Client client(port, fast());
  client.connect();
  EXPECT_EQ(client.checksum(0x16000, 9, Millis(30)), 0x31C3);
  port.log.clear();
  auto data = client.read(0x16000, 100);
  EXPECT_EQ(data.size(), 100u);
  EXPECT_EQ(port.log, (std::vector<std::string>{"R00016000,0000003F#", "R0001603F,00000025#"}));
}

TEST(SambaClient, SilenceIsATimeoutNamingThePort) {
  ScriptedPort port([](const std::string&) { return std::string(); });
  Client client(port, fast());
  try {
    client.connect();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::timeout);
    EXPECT_NE(std::string(e.what()).find("/dev/ttyTEST"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("N#"), std::string::npos);
  }
}

TEST(SambaClient, GarbageIsADeviceError) {
  ScriptedPort port([](const std::string& w) -> std::string { return w == "N#" ? "\n\r" : "\x01\x02garbage\xff"; });
  Client client(port, fast());
  try {
    client.connect();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::device_error);
    EXPECT_NE(std::string(e.what()).find("V#"), std::string::npos);
  }
}

TEST(SambaClient, AnEchoingPortIsNotABootloader) {
  ScriptedPort port([](const std::string& w) { return w; });
  Client client(port, fast());
  EXPECT_THROW(client.connect(), Error);
}

TEST(SambaClient, BootloaderWithoutExtensionsIsUnsupported) {
  ScriptedPort port([](const std::string& w) -> std::string {
    if (w == "V#") return "v1.1 Dec 15 2010 19:25:04\n\r";
    return nano(w);
  });
  Client client(port, fast());
  try {
    client.connect();
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unsupported);
  }
}

TEST(SambaClient, RefusedWriteNamesTheAddress) {
  ScriptedPort port([](const std::string& w) -> std::string {
    if (w.rfind("Y00000000,", 0) == 0) return "E\n\r";
    return nano(w);
  });
  Client client(port, fast());
  client.connect();
  std::vector<uint8_t> data(16, 0);
  try {
    client.write(0, data, Millis(30));
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::device_error);
    EXPECT_NE(std::string(e.what()).find("refused"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("0x00000000"), std::string::npos);
  }
}

TEST(SambaClient, BadChecksumReplyIsGarbage) {
  ScriptedPort port([](const std::string& w) -> std::string {
    if (w.rfind("Z", 0) == 0) return "ZZZZZZZZZZZZ";
    return nano(w);
  });
  Client client(port, fast());
  client.connect();
  EXPECT_THROW(client.checksum(0, 4096, Millis(30)), Error);
}

TEST(SambaClient, ResetUsesKWhenTheBootloaderHasIt) {
  ScriptedPort port(nano);
  Client client(port, fast());
  client.connect();
  client.reset();
  EXPECT_EQ(port.log.back(), "K#");
}

TEST(SambaClient, ResetWithoutKWritesAircr) {
  ScriptedPort port([](const std::string& w) -> std::string {
    if (w == "V#") return "v2.0 [Arduino:XYZ] Dec 20 2016 15:36:43\n\r";
    return nano(w);
  });
  Client client(port, fast());
  client.connect();
  client.reset();
  EXPECT_EQ(port.log.back(), "WE000ED0C,05FA0004#");
}

}  // namespace
}  // namespace omv::protocol::samba
