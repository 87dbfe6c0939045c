#include "protocol/dfu/stm32_phases.h"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>

namespace omv::dfu::phases {
namespace {

std::optional<uint64_t> hex_after(std::string_view text, std::string_view key) {
  const auto at = text.find(key);
  if (at == std::string_view::npos) return std::nullopt;
  size_t i = at + key.size();
  uint64_t value = 0;
  size_t digits = 0;
  for (; i < text.size() && std::isxdigit(static_cast<unsigned char>(text[i])) && digits < 8; ++i, ++digits)
    value = value * 16 + static_cast<uint64_t>(std::isdigit(static_cast<unsigned char>(text[i]))
                                                   ? text[i] - '0'
                                                   : std::tolower(static_cast<unsigned char>(text[i])) - 'a' + 10);
  if (digits == 0) return std::nullopt;
  return value;
}

}  // namespace

std::optional<AltName> parse_alt_name(std::string_view text) {
  const auto open = text.find("/0x");
  if (open == std::string_view::npos) return std::nullopt;
  const auto close = text.find('/', open + 1);
  if (close == std::string_view::npos) return std::nullopt;
  std::string_view id = text.substr(open + 3, close - open - 3);
  if (id.empty() || id.size() > 2) return std::nullopt;
  unsigned value = 0;
  for (char c : id) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) return std::nullopt;
    value = value * 16 + static_cast<unsigned>(std::isdigit(static_cast<unsigned char>(c))
                                                   ? c - '0'
                                                   : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10);
  }
  AltName alt;
  alt.phase = static_cast<uint8_t>(value);
  std::string_view name = text.substr(0, open);
  if (!name.empty() && name.front() == '@') name.remove_prefix(1);
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  alt.name = std::string(name);
  // "1*512Ke": count*size, unit, access letter (and possibly words after it).
  std::string_view rest = text.substr(close + 1);
  const auto star = rest.find('*');
  if (star != std::string_view::npos) {
    size_t i = star + 1;
    uint64_t n = 0;
    bool any = false;
    while (i < rest.size() && std::isdigit(static_cast<unsigned char>(rest[i])) && n < (1ull << 40)) {
      n = n * 10 + static_cast<uint64_t>(rest[i++] - '0');
      any = true;
    }
    if (any && i < rest.size()) {
      uint64_t unit = 1;
      if (rest[i] == 'K') unit = 1024, ++i;
      else if (rest[i] == 'M') unit = 1024 * 1024, ++i;
      else if (rest[i] == 'B') ++i;
      alt.size = n * unit;
      if (i < rest.size()) alt.writable = rest[i] == 'e' || rest[i] == 'g';
    }
  }
  return alt;
}

std::string format_alt_name(const AltName& alt) {
  std::string size;
  if (alt.size && alt.size % (1024 * 1024) == 0) size = fmt::format("{}M", alt.size / (1024 * 1024));
  else if (alt.size && alt.size % 1024 == 0) size = fmt::format("{}K", alt.size / 1024);
  else size = fmt::format("{}B", alt.size);
  return fmt::format("@{} /0x{:02X}/1*{}{}", alt.name, alt.phase, size, alt.writable ? 'e' : 'a');
}

std::optional<PhaseReply> parse_phase_reply(std::span<const uint8_t> b) {
  if (b.size() < 5) return std::nullopt;
  PhaseReply r;
  r.phase = b[0];
  r.address = static_cast<uint32_t>(b[1]) | (static_cast<uint32_t>(b[2]) << 8) | (static_cast<uint32_t>(b[3]) << 16) |
              (static_cast<uint32_t>(b[4]) << 24);
  if (b.size() >= 9)
    r.offset = static_cast<uint32_t>(b[5]) | (static_cast<uint32_t>(b[6]) << 8) | (static_cast<uint32_t>(b[7]) << 16) |
               (static_cast<uint32_t>(b[8]) << 24);
  if (b.size() >= 10) {
    if (r.phase == kFlashLayout && r.address == kUndefinedAddress) r.detach_requested = b[9] == 1;
    if (r.phase == kReset)
      for (size_t i = 9; i < b.size() && b[i] != 0 && r.error_text.size() < 200; ++i)
        r.error_text += (b[i] >= 0x20 && b[i] < 0x7F) ? static_cast<char>(b[i]) : '?';
  }
  return r;
}

std::vector<uint8_t> encode_phase_reply(const PhaseReply& r) {
  std::vector<uint8_t> out(9, 0);
  out[0] = r.phase;
  for (int i = 0; i < 4; ++i) out[1 + i] = static_cast<uint8_t>(r.address >> (8 * i));
  for (int i = 0; i < 4; ++i) out[5 + i] = static_cast<uint8_t>(r.offset >> (8 * i));
  if (r.phase == kFlashLayout && r.address == kUndefinedAddress) out.push_back(r.detach_requested ? 1 : 0);
  if (r.phase == kReset && !r.error_text.empty()) {
    out.insert(out.end(), r.error_text.begin(), r.error_text.end());
    out.push_back(0);
  }
  return out;
}

std::string phase_name(uint8_t phase) {
  switch (phase) {
    case kFlashLayout: return "FlashLayout";
    case kFsbl: return "FSBL";
    case kVirtual: return "virtual";
    case kOtp: return "OTP";
    case kEnd: return "END";
    case kReset: return "RESET/error";
    default: return fmt::format("0x{:02X}", phase);
  }
}

const char* to_string(Stage stage) {
  switch (stage) {
    case Stage::rom: return "boot ROM";
    case Stage::openbl: return "OpenBootloader";
    case Stage::tfa: return "TF-A";
    case Stage::uboot: return "U-Boot";
    case Stage::unknown: break;
  }
  return "unknown stage";
}

StageInfo parse_stage(std::string_view product) {
  StageInfo s;
  if (auto id = hex_after(product, "@Device ID /0x")) s.device_id = static_cast<uint32_t>(*id);
  if (auto rev = hex_after(product, "@Revision ID /0x")) s.revision_id = static_cast<uint32_t>(*rev);
  if (product.find("STM32OpenBootloader") != std::string_view::npos) s.stage = Stage::openbl;
  else if (product.find("USB download gadget") != std::string_view::npos) s.stage = Stage::uboot;
  else if (product.find("@Name /") != std::string_view::npos) s.stage = Stage::tfa;
  else if (product.rfind("DFU in ", 0) == 0 && s.device_id) s.stage = Stage::rom;
  return s;
}

}  // namespace omv::dfu::phases
