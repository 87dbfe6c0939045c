#include "protocol/alif_isp/replies.h"

#include <fmt/format.h>

#include "core/error.h"

namespace omv::protocol::alif_isp {
namespace {

uint32_t le32(std::span<const uint8_t> b, size_t at) {
  return static_cast<uint32_t>(b[at]) | (static_cast<uint32_t>(b[at + 1]) << 8) | (static_cast<uint32_t>(b[at + 2]) << 16) |
         (static_cast<uint32_t>(b[at + 3]) << 24);
}

std::string ascii(std::span<const uint8_t> b) {
  std::string s;
  for (uint8_t c : b) {
    if (c == 0) break;
    s.push_back(c >= 0x20 && c < 0x7F ? static_cast<char>(c) : '?');
  }
  return s;
}

void need_data(const Packet& p, size_t bytes, const char* what) {
  if (p.kind == kNak) {
    const auto n = parse_nak(p);
    fail(ErrorKind::device_error, fmt::format("the Secure Enclave refused {}: {}{}", what, error_name(n.code),
                                              n.extended.empty() ? "" : " (" + n.extended + ")"));
  }
  if (p.kind != kDataResponse || p.bytes.size() < bytes)
    fail(ErrorKind::device_error, fmt::format("the Secure Enclave answered {} with a {} packet of {} bytes ({} expected)",
                                              what, command_name(p.kind), p.bytes.size(), bytes));
}

}  // namespace

std::string Revision::revision_name() const {
  switch (soc_version) {
    case 0xA100: return "A1";
    case 0xB000: return "B0";
    case 0xB200: return "B2";
    case 0xB300: return "B3";
    case 0xB400: return "B4";
    default: return fmt::format("0x{:04X}", soc_version);
  }
}

std::string Revision::lifecycle_name() const {
  switch (lifecycle) {
    case 0: return "CM";
    case 1: return "DM";
    case 5: return "SE";
    case 7: return "RMA";
    default: return fmt::format("LCS {}", lifecycle);
  }
}

std::string Revision::serial_hex() const {
  std::string s;
  for (uint8_t b : serial) s += fmt::format("{:02X}", b);
  return s;
}

Revision parse_revision(const Packet& p) {
  need_data(p, kRevisionReplyBytes, "GET REVISION");
  if (p.length != kRevisionReplyBytes)
    fail(ErrorKind::device_error,
         fmt::format("the Secure Enclave's GET REVISION reply is {} bytes; it is always {}", p.length, kRevisionReplyBytes));
  std::span<const uint8_t> b(p.bytes);
  Revision r;
  r.soc_version = le32(b, 2);
  r.part = ascii(b.subspan(6, 16));
  r.serial.assign(b.begin() + 126, b.begin() + 134);
  r.lifecycle = b[134];
  return r;
}

Enquiry parse_enquiry(const Packet& p) {
  need_data(p, 16, "ENQUIRY");
  std::span<const uint8_t> b(p.bytes);
  Enquiry e;
  e.stage = (b[2] & 0x02) ? Stage::seram : (b[2] & 0x01) ? Stage::serom : Stage::none;
  e.error = le32(b, 3);
  e.extended_error = le32(b, 7);
  e.maintenance = e.stage == Stage::seram && le32(b, 11) == 1;
  return e;
}

const char* to_string(Stage stage) {
  switch (stage) {
    case Stage::serom: return "SEROM (recovery)";
    case Stage::seram: return "SERAM";
    default: return "unknown";
  }
}

std::string TocEntry::version_text() const {
  return fmt::format("{}.{}.{}", version >> 24, (version >> 16) & 0xFF, (version >> 8) & 0xFF);
}

bool parse_toc_entry(const Packet& p, TocEntry& e) {
  if (p.kind != kDataResponse || p.bytes.size() < 3 || p.bytes[2] != kTocEntryMarker) return false;
  need_data(p, 3 + 47 + 1, "GET TOC_INFO");
  std::span<const uint8_t> b = std::span<const uint8_t>(p.bytes).subspan(3);
  e.name = ascii(b.subspan(0, 8));
  e.cpu = le32(b, 8);
  e.store_address = le32(b, 12);
  e.object_address = le32(b, 16);
  e.destination_address = le32(b, 20);
  e.boot_address = le32(b, 24);
  e.size = le32(b, 28);
  e.version = le32(b, 32);
  e.flags = ascii(b.subspan(40, 7));
  return true;
}

}  // namespace omv::protocol::alif_isp
