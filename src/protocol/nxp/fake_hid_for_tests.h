#pragma once
// An in-memory HID device for protocol unit tests: records what the host writes and answers
// with queued reports or through a responder.
#include <algorithm>
#include <cctype>
#include <deque>
#include <functional>
#include <string>
#include <vector>

#include "core/error.h"
#include "transport/hid.h"

namespace omv::protocol::nxp::testing {

inline std::vector<uint8_t> bytes(const std::string& hex) {
  std::vector<uint8_t> out;
  std::string digits;
  for (char c : hex)
    if (std::isxdigit(static_cast<unsigned char>(c))) digits += c;
  for (size_t i = 0; i + 1 < digits.size(); i += 2) out.push_back(static_cast<uint8_t>(std::stoul(digits.substr(i, 2), nullptr, 16)));
  return out;
}

class FakeHid : public transport::HidDevice {
 public:
  FakeHid() { info_.id = UsbId{0x15A2, 0x0073}; }
  const transport::HidDeviceInfo& info() const override { return info_; }
  void write(std::span<const uint8_t> report) override {
    if (gone) throw Error(ErrorKind::no_device, "gone");
    written.emplace_back(report.begin(), report.end());
    if (responder) responder(written.back(), *this);
  }
  size_t read(std::span<uint8_t> report, transport::Millis) override {
    if (queue.empty()) {
      if (gone) throw Error(ErrorKind::no_device, "gone");
      ++timeouts;
      return 0;
    }
    auto r = std::move(queue.front());
    queue.pop_front();
    size_t n = std::min(r.size(), report.size());
    std::copy_n(r.begin(), n, report.begin());
    return n;
  }
  void push(std::vector<uint8_t> report) { queue.push_back(std::move(report)); }

  transport::HidDeviceInfo info_;
  std::vector<std::vector<uint8_t>> written;
  std::deque<std::vector<uint8_t>> queue;
  std::function<void(const std::vector<uint8_t>&, FakeHid&)> responder;
  bool gone = false;
  int timeouts = 0;
};

}  // namespace omv::protocol::nxp::testing
