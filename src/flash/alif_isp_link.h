#pragma once
// What `omv recover OPENMV_AE3` and `omv deploy OPENMV_AE3` share on the Secure Enclave's ISP:
// finding its UART, and the write sequence app-write-mram.py uses (soft maintenance unless the
// SE is already in maintenance, the 921600-baud switch, each burn announced before it starts,
// the ISP rate again, reset).
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "boards/board.h"
#include "core/events.h"
#include "protocol/alif_isp/client.h"
#include "transport/usb.h"

namespace omv::flash {

constexpr uint32_t kAlifIspBaud = 55000;    // Fusion B4's ISP rate (the toolkit's featuresDB)
constexpr uint32_t kAlifFastBaud = 921600;  // the toolkit's dynamic switch

// --port, else the debug adapter's UART by the board's isp / isp_alt USB identities.
std::string find_isp_port(const boards::Board& board, transport::UsbBus& usb, Reporter& reporter, const std::string& port);

struct MramBurn {
  std::string label;            // "BOOT", a partition or the file name
  uint32_t address = 0;         // absolute MRAM address
  std::vector<uint8_t> bytes;   // padded to 16 by the client, in memory
  std::filesystem::path file;
};

// Serial-line time of `bytes` burned at `baud` (10 bits a byte, the 5 framing bytes of each
// 240-byte chunk and its 3-byte ACK): what the user is told before a long burn starts.
double isp_line_seconds(uint64_t bytes, uint32_t baud);

// The write sequence. `maintenance` says whether the SE already runs a maintenance boot.
// Returns the bytes burned.
uint64_t burn_over_isp(protocol::alif_isp::Client& client, bool maintenance, const std::vector<MramBurn>& burns,
                       Reporter& reporter);

}  // namespace omv::flash
