// What a GDB server sends is untrusted: the packet reader, run-length expansion, unescaping and
// the client's reply handling must turn anything into packets or an omv::Error, never a crash.
// What a debugger sends the virtual probe is untrusted too: every flavour of the stub takes the
// same bytes, and may touch the chip only inside its regions.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>

#include "core/error.h"
#include "protocol/gdb/client.h"
#include "protocol/gdb/packet.h"
#include "protocol/gdb/stub.h"

namespace {

// The server side answers every write with the next piece of the fuzz input (its first byte says
// how long the piece is), whatever the client asked.
class ReplayServer : public omv::protocol::gdb::ByteStream {
 public:
  explicit ReplayServer(std::span<const uint8_t> bytes) : input_(bytes) {}
  std::string describe() const override { return "fuzz:1"; }
  void write(std::span<const uint8_t>) override {
    if (pos_ >= input_.size()) return;
    const size_t declared = input_[pos_++] * 4u;
    const size_t n = std::min<size_t>(declared, input_.size() - pos_);
    rx_.insert(rx_.end(), input_.begin() + static_cast<std::ptrdiff_t>(pos_),
               input_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
    pos_ += n;
  }
  size_t read(std::span<uint8_t> data, omv::protocol::gdb::Millis) override {
    size_t n = 0;
    while (n < data.size() && !rx_.empty()) {
      data[n++] = rx_.front();
      rx_.pop_front();
    }
    return n;
  }

 private:
  std::span<const uint8_t> input_;
  size_t pos_ = 0;
  std::deque<uint8_t> rx_;
};

// 8 KiB of flash in 1 KiB blocks and 1 KiB of RAM; an access outside them aborts the run.
class FuzzChip : public omv::protocol::gdb::StubTarget {
 public:
  static constexpr uint64_t kFlash = 0x08000000, kRam = 0x20000000;
  std::vector<omv::protocol::gdb::MemoryRegion> regions() const override {
    using omv::protocol::gdb::MemoryRegion;
    return {{MemoryRegion::Type::flash, kFlash, flash_.size(), 1024}, {MemoryRegion::Type::ram, kRam, ram_.size(), 0}};
  }
  bool read(uint64_t a, std::span<uint8_t> out, Access) override {
    const uint8_t* p = at(a, out.size());
    if (!p) return false;
    std::copy_n(p, out.size(), out.begin());
    return true;
  }
  bool write(uint64_t a, std::span<const uint8_t> data) override {
    if (a < kRam || a - kRam > ram_.size() || data.size() > ram_.size() - (a - kRam)) return false;
    std::copy(data.begin(), data.end(), ram_.begin() + static_cast<std::ptrdiff_t>(a - kRam));
    return true;
  }
  bool erase_block(uint64_t a) override {
    if (a < kFlash || a - kFlash >= flash_.size()) __builtin_trap();
    std::fill_n(flash_.begin() + static_cast<std::ptrdiff_t>(a - kFlash), 1024, 0xFF);
    return true;
  }
  bool program(uint64_t a, std::span<const uint8_t> data) override {
    if (a < kFlash || a - kFlash > flash_.size() || data.size() > flash_.size() - (a - kFlash)) __builtin_trap();
    for (size_t i = 0; i < data.size(); ++i) flash_[a - kFlash + i] &= data[i];
    return true;
  }

 private:
  uint8_t* at(uint64_t a, size_t n) {
    if (a >= kFlash && a - kFlash <= flash_.size() && n <= flash_.size() - (a - kFlash)) return flash_.data() + (a - kFlash);
    if (a >= kRam && a - kRam <= ram_.size() && n <= ram_.size() - (a - kRam)) return ram_.data() + (a - kRam);
    return nullptr;
  }
  std::vector<uint8_t> flash_ = std::vector<uint8_t>(8192, 0xFF);
  std::vector<uint8_t> ram_ = std::vector<uint8_t>(1024, 0);
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace omv::protocol::gdb;
  std::span<const uint8_t> bytes(data, size);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  PacketReader reader;
  reader.feed(bytes);
  while (auto in = reader.next()) {
    (void)expand_runs(in->payload);
    (void)unescape_binary(in->payload);
  }
  (void)from_hex(text);
  (void)parse_features(text);

  for (const auto& name : stub_flavour_names()) {
    FuzzChip chip;
    Stub stub(chip, stub_flavour(name));
    bool fault = false;
    stub.set_fault_hook([&](std::string_view) { return fault = !fault; });
    stub.connected();
    // In two pieces, so that a packet split across reads is exercised too.
    (void)stub.feed(bytes.first(size / 2));
    (void)stub.feed(bytes.subspan(size / 2));
    stub.disconnected();
  }

  ReplayServer server(bytes);
  ClientOptions options;
  options.reply_timeout = options.flash_timeout = Millis(0);
  options.retries = 2;
  Client client(server, options);
  try {
    client.connect();
    (void)client.memory_map_xml();
    (void)client.read_memory(0x08000000, 300);
    (void)client.crc(0x08000000, 0x1000);
    (void)client.monitor("reset");
    const uint8_t payload[] = {0x7d, 0x23, 0x24, 0x2a, 0, 1, 2};
    client.write_memory(0x20000000, payload);
  } catch (const omv::Error&) {
  }
  return 0;
}
