#include "core/numbers.h"

#include <fmt/format.h>

#include <cctype>
#include <limits>

namespace omv {

std::optional<uint64_t> parse_u64(std::string_view text) {
  if (text.empty()) return std::nullopt;
  uint64_t multiplier = 1;
  switch (std::toupper(static_cast<unsigned char>(text.back()))) {
    case 'K': multiplier = 1024; break;
    case 'M': multiplier = 1024 * 1024; break;
    case 'G': multiplier = 1024ull * 1024 * 1024; break;
    default: break;
  }
  bool hex = text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X');
  if (multiplier != 1 && !hex) text.remove_suffix(1);
  if (hex) text.remove_prefix(2);
  if (text.empty()) return std::nullopt;
  uint64_t value = 0;
  const uint64_t base = hex ? 16 : 10;
  for (char c : text) {
    uint64_t digit;
    if (c >= '0' && c <= '9') digit = static_cast<uint64_t>(c - '0');
    else if (hex && c >= 'a' && c <= 'f') digit = static_cast<uint64_t>(c - 'a' + 10);
    else if (hex && c >= 'A' && c <= 'F') digit = static_cast<uint64_t>(c - 'A' + 10);
    else if (c == '_') continue;
    else return std::nullopt;
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / base) return std::nullopt;
    value = value * base + digit;
  }
  if (value > std::numeric_limits<uint64_t>::max() / multiplier) return std::nullopt;
  return value * multiplier;
}

std::string hex32(uint64_t value) {
  return value > 0xFFFFFFFFull ? fmt::format("0x{:X}", value) : fmt::format("0x{:08X}", value);
}

std::string human_size(uint64_t bytes) {
  if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0) return fmt::format("{} MiB", bytes >> 20);
  if (bytes >= 1024 * 1024) return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1024.0 * 1024.0));
  if (bytes >= 1024 && bytes % 1024 == 0) return fmt::format("{} KiB", bytes >> 10);
  if (bytes >= 1024) return fmt::format("{:.1f} KiB", static_cast<double>(bytes) / 1024.0);
  return fmt::format("{} B", bytes);
}

std::optional<UsbId> parse_usb_id(std::string_view text) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon + 1 >= text.size()) return std::nullopt;
  auto part = [](std::string_view s) -> std::optional<uint16_t> {
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s.remove_prefix(2);
    if (s.empty() || s.size() > 4) return std::nullopt;
    uint32_t v = 0;
    for (char c : s) {
      int d = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
              : (c >= 'a' && c <= 'f')                  ? c - 'a' + 10
              : (c >= 'A' && c <= 'F')                  ? c - 'A' + 10
                                                        : -1;
      if (d < 0) return std::nullopt;
      v = v * 16 + static_cast<uint32_t>(d);
    }
    return static_cast<uint16_t>(v);
  };
  auto vid = part(text.substr(0, colon));
  auto pid = part(text.substr(colon + 1));
  if (!vid || !pid) return std::nullopt;
  return UsbId{*vid, *pid};
}

std::string format_usb_id(UsbId id) { return fmt::format("{:04X}:{:04X}", id.vid, id.pid); }

}  // namespace omv
