// The Alif Secure Enclave ISP's replies: the packet stream splitter and every reply parser on
// what it yields.
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/error.h"
#include "protocol/alif_isp/packets.h"
#include "protocol/alif_isp/replies.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace omv::protocol::alif_isp;
  PacketReader reader;
  reader.feed(std::span<const uint8_t>(data, size));
  while (auto p = reader.next()) {
    try {
      parse_nak(*p);
      payload_text(p->payload());
      TocEntry t;
      parse_toc_entry(*p, t);
      parse_enquiry(*p);
      parse_revision(*p);
    } catch (const omv::Error&) {
    }
  }
  return 0;
}
