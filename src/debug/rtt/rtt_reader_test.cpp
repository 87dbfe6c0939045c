#include "debug/rtt/rtt_reader.h"

#include <gtest/gtest.h>

#include <cstring>

#include "core/error.h"

namespace omv::debug::rtt::rtt_reader_test {
namespace {

constexpr uint64_t kRam = 0x20000000, kBlock = 0x20000400, kUp = 0x20001000, kDown = 0x20002000;
constexpr uint32_t kUpSize = 64, kDownSize = 16;

// 16 KiB of target RAM holding a control block with one up- and one down-buffer, written the way
// the demo firmware's rtt.c writes it.
class FakeRam : public MemoryPort {
 public:
  std::vector<uint8_t> ram = std::vector<uint8_t>(0x4000, 0);
  int begins = 0, ends = 0;

  std::vector<uint8_t> read(uint64_t a, size_t n) override {
    if (a < kRam || a - kRam + n > ram.size()) throw Error(ErrorKind::device_error, "read outside RAM");
    return {ram.begin() + static_cast<std::ptrdiff_t>(a - kRam), ram.begin() + static_cast<std::ptrdiff_t>(a - kRam + n)};
  }
  void write(uint64_t a, std::span<const uint8_t> d) override {
    if (a < kRam || a - kRam + d.size() > ram.size()) throw Error(ErrorKind::device_error, "write outside RAM");
    std::copy(d.begin(), d.end(), ram.begin() + static_cast<std::ptrdiff_t>(a - kRam));
  }
  void begin() override { begins++; }
  void end() override { ends++; }

  void put32(uint64_t a, uint32_t v) {
    for (int i = 0; i < 4; ++i) ram[a - kRam + static_cast<uint64_t>(i)] = static_cast<uint8_t>(v >> (8 * i));
  }
  uint32_t get32(uint64_t a) const {
    uint32_t v = 0;
    for (int i = 3; i >= 0; --i) v = v << 8 | ram[a - kRam + static_cast<uint64_t>(i)];
    return v;
  }
  void make_block() {
    std::memcpy(&ram[kBlock - kRam], "SEGGER RTT", 10);
    put32(kBlock + 16, 1);
    put32(kBlock + 20, 1);
    put32(kBlock + 24 + 4, kUp);
    put32(kBlock + 24 + 8, kUpSize);
    put32(kBlock + 48 + 4, kDown);
    put32(kBlock + 48 + 8, kDownSize);
  }
  // The target's side of an up-buffer write (skip mode: drops what does not fit).
  void target_writes(const std::string& text) {
    uint32_t w = get32(kBlock + 24 + 12);
    for (char c : text) {
      ram[kUp - kRam + w] = static_cast<uint8_t>(c);
      w = (w + 1) % kUpSize;
    }
    put32(kBlock + 24 + 12, w);
  }
};

std::span<const uint8_t> bytes(const std::string& s) { return {reinterpret_cast<const uint8_t*>(s.data()), s.size()}; }

TEST(RttReader, FindsTheBlockByScanningAndReadsAcrossTheWrap) {
  FakeRam t;
  t.make_block();
  Placement p;
  p.scan = {kRam, 0x4000};
  Reader reader(t, p, 0);
  std::string where;
  ASSERT_EQ(reader.locate(where), kBlock) << where;
  t.target_writes(std::string(50, 'a'));
  EXPECT_EQ(reader.poll({}).data, std::string(50, 'a'));
  t.target_writes("wrapped around\n");  // 50 + 15 > 64: the data wraps
  auto poll = reader.poll({});
  EXPECT_EQ(poll.data, "wrapped around\n");
  EXPECT_EQ(t.get32(kBlock + 24 + 16), t.get32(kBlock + 24 + 12));  // read offset caught up
  EXPECT_EQ(reader.poll({}).data, "");
  EXPECT_EQ(t.begins, t.ends);
}

TEST(RttReader, PutsInputIntoDownBufferZeroAsFarAsItFits) {
  FakeRam t;
  t.make_block();
  Reader reader(t, Placement{kBlock, std::nullopt, {kRam, 0x4000}, {kSramRegion}}, 0);
  std::string where;
  ASSERT_TRUE(reader.locate(where));
  auto poll = reader.poll(bytes("0123456789abcdefXYZ"));
  EXPECT_EQ(poll.sent, kDownSize - 1);  // one byte always stays free
  EXPECT_EQ(std::string(t.ram.begin() + (kDown - kRam), t.ram.begin() + (kDown - kRam) + 15), "0123456789abcde");
  EXPECT_EQ(t.get32(kBlock + 48 + 12), 15u);
}

TEST(RttReader, ABlockThatDisappearsOrGoesStaleIsReportedAndFoundAgain) {
  FakeRam t;
  t.make_block();
  Placement p;
  p.symbol = kBlock;
  Reader reader(t, p, 0);
  std::string where;
  ASSERT_TRUE(reader.locate(where));
  // A reset: the firmware zeroes the block before setting it up again.
  std::fill_n(t.ram.begin() + (kBlock - kRam), 72, 0);
  auto lost = reader.poll({});
  ASSERT_TRUE(lost.lost);
  EXPECT_NE(lost.lost->find("no \"SEGGER RTT\" ID"), std::string::npos) << *lost.lost;
  EXPECT_FALSE(reader.locate(where));
  EXPECT_NE(where.find("_SEGGER_RTT in the ELF at 0x20000400"), std::string::npos) << where;
  t.make_block();
  ASSERT_TRUE(reader.locate(where));
  // A stale block: a write offset past the buffer's end is refused, nothing is read or stored.
  t.put32(kBlock + 24 + 12, kUpSize + 5);
  auto stale = reader.poll({});
  ASSERT_TRUE(stale.lost);
  EXPECT_NE(stale.lost->find("do not fit its size 64"), std::string::npos) << *stale.lost;
  EXPECT_EQ(t.get32(kBlock + 24 + 16), 0u);
  // Storage outside RAM is refused too.
  t.put32(kBlock + 24 + 12, 0);
  t.put32(kBlock + 24 + 4, 0x08000000);
  ASSERT_TRUE(reader.poll({}).lost);
}

TEST(RttReader, TwoBlocksInTheScannedRamAreAnErrorNamingBoth) {
  FakeRam t;
  t.make_block();
  std::memcpy(&t.ram[0x3000], "SEGGER RTT", 10);
  Placement p;
  p.scan = {kRam, 0x4000};
  Reader reader(t, p, 0);
  std::string where;
  try {
    reader.locate(where);
    FAIL() << "two blocks were accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("0x20000400, 0x20003000"), std::string::npos) << e.what();
  }
}

TEST(RttControlBlock, ImpossibleCountsAndShortBlocksAreRefused) {
  std::vector<uint8_t> header(24, 0);
  std::memcpy(header.data(), "SEGGER RTT", 10);
  std::string why;
  EXPECT_FALSE(parse_header(header, &why));  // no up-buffer
  header[16] = 200;
  EXPECT_FALSE(parse_header(header, &why));
  EXPECT_NE(why.find("impossible buffer counts (200 up"), std::string::npos) << why;
  header[16] = 1;
  EXPECT_TRUE(parse_header(header));
  EXPECT_FALSE(parse_block(0, header, {}, &why));  // the descriptor is missing
  EXPECT_FALSE(parse_header(std::span<const uint8_t>(header).first(10), &why));
}

TEST(RttPollRate, SpeedsUpWhileTheBufferFillsAndSlowsDownWhenIdle) {
  PollRate rate(std::chrono::milliseconds(2), std::chrono::milliseconds(50));
  const auto start = rate.interval();
  rate.after(600, 1024);
  EXPECT_LT(rate.interval(), start);
  for (int i = 0; i < 50; ++i) rate.after(0, 1024);
  EXPECT_EQ(rate.interval(), std::chrono::milliseconds(50));
}

}  // namespace
}  // namespace omv::debug::rtt::rtt_reader_test
