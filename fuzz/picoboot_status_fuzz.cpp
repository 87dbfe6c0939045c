// A device in BOOTSEL mode is untrusted: its command status (and whatever it answers on the bulk
// endpoints) must end in an omv::Error naming the status, never a crash.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "core/error.h"
#include "protocol/picoboot/client.h"
#include "protocol/picoboot/command.h"

namespace {

// Stalls or answers from the fuzz input: byte 0 picks the behaviour of each transfer.
class FuzzDevice : public omv::transport::UsbDevice {
 public:
  explicit FuzzDevice(std::span<const uint8_t> bytes) : bytes_(bytes) {}
  const omv::transport::UsbDeviceInfo& info() const override { return info_; }
  size_t control_in(uint8_t, uint8_t, uint16_t, uint16_t, std::span<uint8_t> data, omv::transport::Millis) override {
    maybe_stall();
    return take(data);
  }
  size_t control_out(uint8_t, uint8_t, uint16_t, uint16_t, std::span<const uint8_t> data,
                     omv::transport::Millis) override {
    maybe_stall();
    return data.size();
  }
  size_t bulk_in(uint8_t, std::span<uint8_t> data, omv::transport::Millis) override {
    maybe_stall();
    return take(data);
  }
  size_t bulk_out(uint8_t, std::span<const uint8_t> data, omv::transport::Millis) override {
    maybe_stall();
    return data.size();
  }
  void claim_interface(uint8_t) override {}
  void set_alt_setting(uint8_t, uint8_t) override {}
  std::string string_descriptor(uint8_t) override { return {}; }
  void reset() override {}

 private:
  uint8_t next() { return pos_ < bytes_.size() ? bytes_[pos_++] : 0; }
  void maybe_stall() {
    const uint8_t b = next();
    if (b % 4 == 1) throw omv::transport::UsbStall("fuzz stall");
    if (b % 4 == 2) throw omv::Error(omv::ErrorKind::timeout, "fuzz timeout");
  }
  size_t take(std::span<uint8_t> data) {
    const size_t n = std::min<size_t>(next() % (data.size() + 1), bytes_.size() - std::min(pos_, bytes_.size()));
    for (size_t i = 0; i < n; ++i) data[i] = next();
    return n;
  }
  std::span<const uint8_t> bytes_;
  size_t pos_ = 0;
  omv::transport::UsbDeviceInfo info_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace pb = omv::protocol::picoboot;
  std::span<const uint8_t> bytes(data, size);
  if (auto s = pb::decode_status(bytes)) {
    (void)pb::status_name(s->code);
    (void)pb::status_hint(s->code);
    (void)pb::command_name(s->command_id);
  }
  (void)pb::decode(bytes);

  FuzzDevice device(bytes);
  pb::Client client(device, {1, 0x03, 0x84});
  try {
    client.exit_xip();
    client.flash_erase(0x10000000, 0x1000, omv::transport::Millis(0));
    (void)client.read(0x10000000, 300);
  } catch (const omv::Error&) {
  }
  return 0;
}
