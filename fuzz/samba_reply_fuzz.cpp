// What a serial port answers is untrusted: the SAM-BA reply parsers and the connect sequence
// must reject anything that is not a bootloader's answer, with an omv::Error, never a crash.
#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <deque>
#include <span>
#include <string>

#include "core/error.h"
#include "protocol/samba/client.h"
#include "protocol/samba/frames.h"

namespace {

// The device side answers every write with the next piece of the fuzz input (its first byte
// says how long the piece is), whatever the host asked.
class ReplayPort : public omv::transport::SerialPort {
 public:
  explicit ReplayPort(std::span<const uint8_t> bytes) : input_(bytes) {}
  const std::string& path() const override { return path_; }
  void set_baud(uint32_t) override {}
  void set_dtr(bool) override {}
  void set_rts(bool) override {}
  void write(std::span<const uint8_t>) override {
    if (pos_ >= input_.size()) return;
    const size_t n = std::min<size_t>(input_[pos_++], input_.size() - pos_);
    rx_.insert(rx_.end(), input_.begin() + static_cast<std::ptrdiff_t>(pos_),
               input_.begin() + static_cast<std::ptrdiff_t>(pos_ + n));
    pos_ += n;
  }
  size_t read(std::span<uint8_t> data, omv::transport::Millis) override {
    size_t n = 0;
    while (n < data.size() && !rx_.empty()) {
      data[n++] = rx_.front();
      rx_.pop_front();
    }
    return n;
  }
  void drain() override {}

 private:
  std::string path_ = "/dev/fuzz";
  std::span<const uint8_t> input_;
  size_t pos_ = 0;
  std::deque<uint8_t> rx_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  using namespace omv::protocol::samba;
  (void)parse_line(bytes);
  (void)parse_version(bytes);
  (void)parse_checksum(bytes);
  (void)is_ack(bytes, 'X');
  (void)hex_preview(bytes);

  ReplayPort port(bytes);
  ClientOptions options;
  options.reply_timeout = omv::transport::Millis(1);
  Client client(port, options);
  try {
    client.connect();
    (void)client.checksum(0x16000, 0x1000, omv::transport::Millis(1));
    (void)client.read(0x16000, 100);
  } catch (const omv::Error&) {
  }
  return 0;
}
