// The DFU and DfuSe host engines against a device whose every reply (data, length, stalls,
// vanishing) comes from the fuzzer: they must end in an omv::Error or success, never crash,
// hang or sleep (the clock is fake and every poll timeout passes at once).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "protocol/dfu/dfu_interface.h"
#include "protocol/dfu/dfuse.h"

namespace {

class Script {
 public:
  Script(const uint8_t* d, size_t n) : d_(d), n_(n) {}
  uint8_t next() { return pos_ < n_ ? d_[pos_++] : 0; }
  bool done() const { return pos_ >= n_; }

 private:
  const uint8_t* d_;
  size_t n_;
  size_t pos_ = 0;
};

class FuzzClock : public omv::dfu::Clock {
 public:
  std::chrono::steady_clock::time_point now() override { return t_ += std::chrono::milliseconds(7); }
  void sleep_for(std::chrono::milliseconds d) override { t_ += d; }

 private:
  std::chrono::steady_clock::time_point t_{};
};

class FuzzDevice : public omv::transport::UsbDevice {
 public:
  explicit FuzzDevice(Script& s) : s_(s) { info_.serial = "FUZZ"; }
  const omv::transport::UsbDeviceInfo& info() const override { return info_; }
  size_t control_in(uint8_t, uint8_t, uint16_t, uint16_t, std::span<uint8_t> data, omv::transport::Millis) override {
    act();
    size_t n = std::min<size_t>(s_.next() % (data.size() + 2), data.size());
    for (size_t i = 0; i < n; ++i) data[i] = s_.next();
    return n;
  }
  size_t control_out(uint8_t, uint8_t, uint16_t, uint16_t, std::span<const uint8_t> data, omv::transport::Millis) override {
    act();
    return data.size();
  }
  size_t bulk_in(uint8_t, std::span<uint8_t>, omv::transport::Millis) override { return 0; }
  size_t bulk_out(uint8_t, std::span<const uint8_t> d, omv::transport::Millis) override { return d.size(); }
  void claim_interface(uint8_t) override {}
  void set_alt_setting(uint8_t, uint8_t) override {}
  std::string string_descriptor(uint8_t) override { return {}; }
  void reset() override {}

 private:
  void act() {
    if (s_.done() || ++requests_ > 2000) omv::fail(omv::ErrorKind::no_device, "fuzz device gone");
    switch (s_.next() % 16) {
      case 0: throw omv::transport::UsbStall("stall");
      case 1: omv::fail(omv::ErrorKind::timeout, "timeout");
      default: break;
    }
  }
  Script& s_;
  omv::transport::UsbDeviceInfo info_;
  int requests_ = 0;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  Script script(data + 1, size - 1);
  FuzzDevice dev(script);
  FuzzClock clock;
  omv::dfu::FunctionalDescriptor fd;
  fd.attributes = 0x0F;
  fd.transfer_size = static_cast<uint16_t>(64 << (data[0] & 3));
  omv::dfu::DfuOptions opt;
  opt.clear_stuck_busy = data[0] & 4;
  omv::dfu::DfuInterface dfu(dev, 0, fd, clock, opt);
  std::vector<uint8_t> block(fd.transfer_size, 0xA5);
  try {
    switch ((data[0] >> 3) & 3) {
      case 0:
        dfu.ensure_idle(std::chrono::milliseconds(500));
        dfu.download_and_wait(0, block, std::chrono::milliseconds(500), "fuzz");
        dfu.dnload(1, {}, "end");
        dfu.wait_for_state({omv::dfu::State::dfuIDLE}, std::chrono::milliseconds(500), "manifest");
        break;
      case 1: {
        std::vector<uint8_t> buf(fd.transfer_size);
        dfu.upload(0, buf, std::chrono::milliseconds(100), "upload");
        break;
      }
      default: {
        omv::dfu::DfuseTarget st(dfu);
        st.erase_page(0x08000000, std::chrono::milliseconds(500));
        st.write_chunk(0x08000000, block, std::chrono::milliseconds(500));
        std::vector<uint8_t> out(fd.transfer_size * 2 + 3);
        st.read(0x08000000, out, std::chrono::milliseconds(100));
        st.leave(0x08000000);
      }
    }
  } catch (const omv::Error&) {
  }
  return 0;
}
