#include "protocol/gdb/stub.h"

#include <gtest/gtest.h>

#include <deque>

#include "core/error.h"
#include "protocol/gdb/client.h"
#include "protocol/gdb/crc32.h"

namespace omv::protocol::gdb::stub_test {
namespace {

constexpr uint64_t kFlash = 0x08000000, kBlock = 0x1000, kRam = 0x20000000;

// 64 KiB of flash in 4 KiB blocks (erase = 0xFF, program = AND) and 16 KiB of RAM, counting
// what the stub asks of the chip.
class Chip : public StubTarget {
 public:
  std::vector<uint8_t> flash = std::vector<uint8_t>(0x10000, 0xFF);
  std::vector<uint8_t> ram = std::vector<uint8_t>(0x4000, 0);
  int erases = 0, programs = 0, resets = 0;

  std::vector<MemoryRegion> regions() const override {
    return {{MemoryRegion::Type::flash, kFlash, flash.size(), kBlock}, {MemoryRegion::Type::ram, kRam, ram.size(), 0}};
  }
  bool read(uint64_t a, std::span<uint8_t> out, Access) override {
    auto* mem = at(a, out.size());
    if (!mem) return false;
    std::copy_n(mem, out.size(), out.begin());
    return true;
  }
  bool write(uint64_t a, std::span<const uint8_t> data) override {
    if (a < kRam || a - kRam + data.size() > ram.size()) return false;
    std::copy(data.begin(), data.end(), ram.begin() + static_cast<std::ptrdiff_t>(a - kRam));
    return true;
  }
  bool erase_block(uint64_t a) override {
    if (a < kFlash || a - kFlash >= flash.size() || (a - kFlash) % kBlock) return false;
    std::fill_n(flash.begin() + static_cast<std::ptrdiff_t>(a - kFlash), kBlock, 0xFF);
    erases++;
    return true;
  }
  bool program(uint64_t a, std::span<const uint8_t> data) override {
    if (a < kFlash || a - kFlash + data.size() > flash.size()) return false;
    for (size_t i = 0; i < data.size(); ++i) flash[a - kFlash + i] &= data[i];
    programs++;
    return true;
  }
  void reset() override { resets++; }

 private:
  uint8_t* at(uint64_t a, size_t n) {
    if (a >= kFlash && a - kFlash + n <= flash.size()) return flash.data() + (a - kFlash);
    if (a >= kRam && a - kRam + n <= ram.size()) return ram.data() + (a - kRam);
    return nullptr;
  }
};

// The client's side of a connection to the stub, in memory.
class Wire : public ByteStream {
 public:
  explicit Wire(Stub& stub) : stub_(stub) { stub_.connected(); }
  std::string describe() const override { return "stub"; }
  void write(std::span<const uint8_t> data) override {
    if (closed) throw Error(ErrorKind::no_device, "stub closed the connection");
    auto out = stub_.feed(data);
    pending_.insert(pending_.end(), out.bytes.begin(), out.bytes.end());
    if (out.close) closed = true;
  }
  size_t read(std::span<uint8_t> data, Millis) override {
    size_t n = 0;
    while (n < data.size() && !pending_.empty()) {
      data[n++] = static_cast<uint8_t>(pending_.front());
      pending_.pop_front();
    }
    if (n == 0 && closed) throw Error(ErrorKind::no_device, "stub closed the connection");
    return n;
  }
  bool closed = false;

 private:
  Stub& stub_;
  std::deque<char> pending_;
};

ClientOptions quick() {
  ClientOptions o;
  o.reply_timeout = Millis(20);
  o.flash_timeout = Millis(20);
  return o;
}

Stub::Output feed_packet(Stub& stub, const std::string& payload) {
  const std::string framed = frame(payload);
  return stub.feed(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(framed.data()), framed.size()));
}

std::vector<uint8_t> pattern(size_t n, uint8_t seed) {
  std::vector<uint8_t> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = static_cast<uint8_t>(i * 13 + seed + (i >> 9));
  v[0] = '#', v[1] = '$', v[2] = '}', v[3] = '*';
  return v;
}

std::vector<uint8_t> flash_at(const Chip& chip, uint64_t a, size_t n) {
  return {chip.flash.begin() + static_cast<std::ptrdiff_t>(a - kFlash),
          chip.flash.begin() + static_cast<std::ptrdiff_t>(a - kFlash + n)};
}

void load(Client& c, uint64_t a, const std::vector<uint8_t>& data) {
  c.flash_erase(a, (data.size() + kBlock - 1) / kBlock * kBlock);
  c.flash_write(a, data);
  c.flash_done();
}

TEST(GdbStub, OpenOcdServesTheMapFlashAndCrcLikeTheRealServer) {
  Chip chip;
  Stub stub(chip, stub_flavour("openocd"));
  Wire wire(stub);
  Client c(wire, quick());
  c.connect();
  EXPECT_FALSE(c.acks());
  auto map = parse_memory_map(*c.memory_map_xml());
  ASSERT_EQ(map.regions.size(), 2u);
  EXPECT_EQ(map.regions[0].blocksize, kBlock);
  const auto data = pattern(10000, 1);
  load(c, kFlash + kBlock, data);
  EXPECT_EQ(flash_at(chip, kFlash + kBlock, data.size()), data);
  EXPECT_EQ(chip.erases, 3);
  EXPECT_EQ(c.read_memory(kFlash + kBlock, data.size()), data);
  EXPECT_EQ(*c.crc(kFlash + kBlock, data.size()).crc, gdb_crc32(data));
  // RAM takes X; flash refuses it (writes there go through vFlash*).
  c.write_memory(kRam + 8, data);
  EXPECT_EQ(std::vector<uint8_t>(chip.ram.begin() + 8, chip.ram.begin() + 8 + 10000), data);
  EXPECT_THROW(c.write_memory(kFlash, data), Error);
  // An erase off the block grid is refused, nothing erased.
  EXPECT_THROW(c.flash_erase(kFlash + 0x10, kBlock), Error);
  EXPECT_EQ(chip.erases, 3);
  EXPECT_EQ(*c.monitor("reset halt"), "Resetting target\n");
  EXPECT_EQ(chip.resets, 1);
  EXPECT_NE(c.monitor("frobnicate")->find("unknown command"), std::string::npos);
}

TEST(GdbStub, PyOcdIgnoresErasesAndSkipsUnchangedSectorsAtDone) {
  Chip chip;
  Stub stub(chip, stub_flavour("pyocd"));
  Wire wire(stub);
  Client c(wire, quick());
  c.connect();
  const auto data = pattern(2 * kBlock, 2);
  load(c, kFlash, data);
  EXPECT_EQ(flash_at(chip, kFlash, data.size()), data);
  EXPECT_EQ(stub.counters().blocks_erased, 2u);
  load(c, kFlash, data);  // the same again: pyOCD's smart flash leaves both sectors alone
  EXPECT_EQ(stub.counters().blocks_skipped, 2u);
  EXPECT_EQ(chip.erases, 2);
  // An erase alone erases nothing.
  c.flash_erase(kFlash, kBlock);
  EXPECT_EQ(flash_at(chip, kFlash, 4), std::vector<uint8_t>(data.begin(), data.begin() + 4));
  // Its qCRC is the qC answer of pyOCD before 0.37.
  auto crc = c.crc(kFlash, 16);
  EXPECT_FALSE(crc.crc);
  EXPECT_EQ(crc.reply, "QC1");
}

TEST(GdbStub, ProbeRsSendsRunsAndLiteralNewlinesAndRefusesALoneDone) {
  Chip chip;
  Stub stub(chip, stub_flavour("probe-rs"));
  EXPECT_NE(stub.memory_map_xml().find("\\n<memory"), std::string::npos);
  Wire wire(stub);
  Client c(wire, quick());
  c.connect();
  EXPECT_EQ(parse_memory_map(*c.memory_map_xml()).regions.size(), 2u);
  // Erased flash reads back as one long run of 'f': sent run-length encoded, expanded by the client.
  EXPECT_EQ(c.read_memory(kFlash, 512), std::vector<uint8_t>(512, 0xFF));
  EXPECT_THROW(c.flash_done(), Error);
  // A write without an erase before it: probe-rs erases the covering sectors itself.
  const auto data = pattern(100, 3);
  c.flash_write(kFlash + 0x2000, data);
  c.flash_done();
  EXPECT_EQ(flash_at(chip, kFlash + 0x2000, data.size()), data);
  EXPECT_EQ(chip.erases, 1);
  EXPECT_FALSE(c.crc(kFlash, 16).crc);
}

TEST(GdbStub, JLinkProgramsXIntoFlashAndAnswersReadsFromItsCacheUntilReset) {
  Chip chip;
  chip.flash[0x3000] = 0x00;  // outside what is downloaded
  Stub stub(chip, stub_flavour("jlink"));
  Wire wire(stub);
  Client c(wire, quick());
  c.connect();
  EXPECT_FALSE(c.memory_map_xml());
  const auto data = pattern(kBlock + 100, 4);
  c.write_memory(kFlash + 0x1000, data);
  EXPECT_EQ(c.read_memory(kFlash + 0x1000, data.size()), data);  // from the download, not the chip
  EXPECT_EQ(chip.erases, 0);
  c.monitor("reset");  // anything but a memory access programs the download first
  EXPECT_EQ(chip.erases, 2);
  EXPECT_EQ(flash_at(chip, kFlash + 0x1000, data.size()), data);
  EXPECT_EQ(chip.flash[0x3000], 0x00);  // the rest of a touched block is kept
  // The same again: the DLL compares and programs nothing.
  c.write_memory(kFlash + 0x1000, data);
  c.monitor("halt");
  EXPECT_EQ(chip.erases, 2);
  EXPECT_EQ(stub.counters().blocks_skipped, 2u);
  // The chip changes behind J-Link's back: until a reset, reads still show the downloaded bytes.
  chip.flash[0x1000] ^= 0xFF;
  EXPECT_EQ(c.read_memory(kFlash + 0x1000, 1)[0], data[0]);
  c.monitor("reset");
  EXPECT_EQ(c.read_memory(kFlash + 0x1000, 1)[0], static_cast<uint8_t>(data[0] ^ 0xFF));
}

TEST(GdbStub, StLinkErasesAtDone) {
  Chip chip;
  Stub stub(chip, stub_flavour("stlink"));
  Wire wire(stub);
  Client c(wire, quick());
  c.connect();
  c.flash_erase(kFlash, kBlock);
  EXPECT_EQ(chip.erases, 0);
  const auto data = pattern(64, 5);
  c.flash_write(kFlash, data);
  c.flash_done();
  EXPECT_EQ(chip.erases, 1);
  EXPECT_EQ(flash_at(chip, kFlash, data.size()), data);
}

TEST(GdbStub, HaltsOnConnectRunsOnContinueAndStopsOnInterrupt) {
  Chip chip;
  // The vector table: initial SP, then the reset handler (Thumb bit set).
  const uint8_t vectors[8] = {0x00, 0x00, 0x02, 0x20, 0x41, 0x01, 0x00, 0x08};
  std::copy(vectors, vectors + 8, chip.flash.begin());
  Stub stub(chip, stub_flavour("pyocd"));
  stub.connected();
  auto send = [&](const std::string& payload) { return feed_packet(stub, payload).bytes; };
  EXPECT_EQ(send("?"), "+" + frame("S05"));
  EXPECT_EQ(send("p0f"), "+" + frame("40010008"));  // pc = the reset handler, Thumb bit clear
  EXPECT_EQ(send("c"), "+");
  EXPECT_FALSE(stub.halted());
  EXPECT_EQ(send("m8000000,4"), "+");  // pyOCD in all-stop mode does not serve a running core
  EXPECT_EQ(stub.counters().ignored_while_running, 1u);
  const uint8_t interrupt = 0x03;
  EXPECT_EQ(stub.feed(std::span<const uint8_t>(&interrupt, 1)).bytes, frame("S02"));
  EXPECT_TRUE(stub.halted());
}

TEST(GdbStub, OpenOcdServesMemoryWhileTheCoreRuns) {
  Chip chip;
  Stub stub(chip, stub_flavour("openocd"));
  Wire wire(stub);
  Client c(wire, quick());
  c.connect();
  c.resume();
  EXPECT_FALSE(stub.halted());
  EXPECT_EQ(c.read_memory(kRam, 4), std::vector<uint8_t>(4, 0));
}

TEST(GdbStub, FaultsDropTheConnectionRefuseAWriteGoSilentAndLieAboutCrc) {
  for (const std::string fault : {"probe_drop", "probe_error", "probe_silent", "probe_bad_crc"}) {
    SCOPED_TRACE(fault);
    Chip chip;
    Stub stub(chip, stub_flavour("openocd"));
    bool armed = false;
    stub.set_fault_hook([&](std::string_view kind) {
      if (!armed || kind != fault) return false;
      armed = false;
      return true;
    });
    Wire wire(stub);
    Client c(wire, quick());
    c.connect();
    armed = true;
    const auto data = pattern(64, 6);
    if (fault == "probe_bad_crc") {
      EXPECT_NE(*c.crc(kFlash, 64).crc, gdb_crc32(std::vector<uint8_t>(64, 0xFF)));
      EXPECT_EQ(*c.crc(kFlash, 64).crc, gdb_crc32(std::vector<uint8_t>(64, 0xFF)));  // once only
      continue;
    }
    if (fault == "probe_silent") {
      EXPECT_THROW(c.read_memory(kFlash, 4), Error);
      EXPECT_THROW(c.read_memory(kFlash, 4), Error);  // still silent on this connection
      continue;
    }
    c.flash_erase(kFlash, kBlock);
    try {
      c.flash_write(kFlash, data);
      ADD_FAILURE() << "the write went through";
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), fault == "probe_drop" ? ErrorKind::no_device : ErrorKind::device_error) << e.what();
    }
    EXPECT_EQ(flash_at(chip, kFlash, 64), std::vector<uint8_t>(64, 0xFF));  // nothing staged was programmed
  }
}

TEST(GdbStub, GarbageGetsEmptyRepliesOrErrorsAndNeverAWrite) {
  Chip chip;
  Stub stub(chip, stub_flavour("openocd"));
  stub.connected();
  for (const std::string p : {"m", "mzz,4", "M8000000,4:zz", "X8000000,4:ab", "vFlashErase:", "vFlashWrite:8000000",
                              "qCRC:1", "P0f=1", "qXfer:memory-map:read::x", "qRcmd,zz", "Zq", "vFlashErase:0,1000"}) {
    EXPECT_FALSE(feed_packet(stub, p).close) << p;
  }
  EXPECT_EQ(chip.erases + chip.programs, 0);
  // A bad checksum is answered with '-'.
  const std::string bad = "$m8000000,4#00";
  EXPECT_EQ(stub.feed(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(bad.data()), bad.size())).bytes, "-");
}

}  // namespace
}  // namespace omv::protocol::gdb::stub_test
