#pragma once
// How long a control transfer occupies the bus, for the virtual camera's timing model.
//  full speed: 64-byte packets, at most 13 per 1 ms frame (USB 2.0 table 5-5: ~832 KB/s),
//              and the setup and status stages of one transfer take about one frame;
//  high speed: 64-byte control packets, ~31 per 125 us microframe, one microframe of stages.
// Real host controllers schedule fewer transactions; these are the floor a device can reach.
#include <chrono>
#include <cstdint>
#include <string>

namespace omv::sim {

std::chrono::nanoseconds control_transfer_time(const std::string& usb_speed, uint64_t data_bytes);

}  // namespace omv::sim
