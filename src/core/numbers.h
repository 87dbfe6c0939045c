#pragma once
// Numbers as people write them in board data and on the command line:
// 4096, 0x1000, 128K, 16M, and "VVVV:PPPP" USB IDs.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace omv {

std::optional<uint64_t> parse_u64(std::string_view text);  // decimal, 0x hex, K/M/G suffix
std::string hex32(uint64_t value);                          // 0x08040000
std::string human_size(uint64_t bytes);                     // 1.6 MiB, 128 KiB, 512 B

struct UsbId {
  uint16_t vid = 0;
  uint16_t pid = 0;
  bool operator==(const UsbId&) const = default;
};
std::optional<UsbId> parse_usb_id(std::string_view text);  // "37C5:9204", case-insensitive
std::string format_usb_id(UsbId id);                        // uppercase "37C5:9204"

}  // namespace omv
