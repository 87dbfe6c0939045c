#pragma once
// For the NXP fuzz targets: a HID device that answers every read with the next report cut from
// the fuzzer's bytes (a length byte, then that many bytes) and accepts every write.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <span>

#include "transport/hid.h"

namespace omv::fuzz {

class ScriptedHid : public transport::HidDevice {
 public:
  explicit ScriptedHid(std::span<const uint8_t> script) : script_(script) { info_.id = UsbId{0x15A2, 0x0073}; }
  const transport::HidDeviceInfo& info() const override { return info_; }
  void write(std::span<const uint8_t>) override {}
  size_t read(std::span<uint8_t> report, transport::Millis) override {
    if (at_ >= script_.size()) return 0;
    size_t n = script_[at_++];
    n = std::min({n, script_.size() - at_, report.size()});
    std::copy_n(script_.begin() + static_cast<std::ptrdiff_t>(at_), n, report.begin());
    at_ += n;
    return n;
  }
  bool exhausted() const { return at_ >= script_.size(); }

 private:
  std::span<const uint8_t> script_;
  size_t at_ = 0;
  transport::HidDeviceInfo info_;
};

}  // namespace omv::fuzz
