#pragma once
// The data replies of the Alif Secure Enclave's ISP that omv reads (alif-isp.md §4): GET
// REVISION (exactly 136 bytes), ENQUIRY (stage, errors, maintenance), GET BANNER (text) and
// GET TOC_INFO entries (47 bytes each, after the 0xA7 marker). Each parser checks the length it
// reads against the packet and fails with Error{device_error} naming the reply and the offset.
#include <cstdint>
#include <string>
#include <vector>

#include "protocol/alif_isp/packets.h"

namespace omv::protocol::alif_isp {

struct Revision {
  uint32_t soc_version = 0;    // 0xB400 = Fusion B4
  std::string part;            // "AE722F80F55D5LS", NULs stripped
  std::vector<uint8_t> serial; // 8 bytes
  uint8_t lifecycle = 0;       // LCS: 0 CM, 1 DM, 5 SE, 7 RMA
  std::string revision_name() const;   // "B4", or "0x%04X" when unknown
  std::string lifecycle_name() const;  // "CM", "DM", "SE", "RMA"
  std::string serial_hex() const;
};
Revision parse_revision(const Packet& packet);

enum class Stage { none, serom, seram };
struct Enquiry {
  Stage stage = Stage::none;
  uint32_t error = 0, extended_error = 0;
  bool maintenance = false;  // read only in SERAM
};
Enquiry parse_enquiry(const Packet& packet);
const char* to_string(Stage stage);  // "SEROM (recovery)", "SERAM"

struct TocEntry {
  std::string name;  // "HP_BOOT", NULs stripped
  uint32_t cpu = 0, store_address = 0, object_address = 0, destination_address = 0, boot_address = 0, size = 0;
  uint32_t version = 0;  // major bits 31..24, minor 23..16, patch 15..8
  std::string flags;     // "uLVB"
  std::string version_text() const;
};
// One TOC_INFO packet: true and the entry when it carries the 0xA7 marker, false when it ends
// the stream.
bool parse_toc_entry(const Packet& packet, TocEntry& entry);

constexpr size_t kRevisionReplyBytes = 136;

}  // namespace omv::protocol::alif_isp
