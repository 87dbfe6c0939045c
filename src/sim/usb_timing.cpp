#include "sim/usb_timing.h"

namespace omv::sim {

std::chrono::nanoseconds control_transfer_time(const std::string& usb_speed, uint64_t data_bytes) {
  const bool high = usb_speed == "high";
  const uint64_t packets = (data_bytes + 63) / 64;
  const int64_t stage_ns = high ? 125'000 : 1'000'000;
  // Per packet: frame time / packets per frame.
  const int64_t packet_ns = high ? 125'000 / 31 : 1'000'000 / 13;
  return std::chrono::nanoseconds(stage_ns + static_cast<int64_t>(packets) * packet_ns);
}

}  // namespace omv::sim
