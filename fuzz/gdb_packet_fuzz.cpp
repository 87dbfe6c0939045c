// What a GDB server sends is untrusted: the packet reader, run-length expansion, unescaping and
// the client's reply handling must turn anything into packets or an omv::Error, never a crash.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <span>

#include "core/error.h"
#include "protocol/gdb/client.h"
#include "protocol/gdb/packet.h"

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
