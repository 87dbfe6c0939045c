// Class-specific descriptor lists and GETSTATUS replies come from the device: parsing them must
// never read past the bytes given or crash.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "protocol/dfu/dfu_types.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  if (auto d = omv::dfu::find_functional_descriptor(bytes)) {
    auto encoded = d->encode();
    auto again = omv::dfu::find_functional_descriptor(encoded);
    if (!again || again->transfer_size != d->transfer_size || again->attributes != d->attributes) std::abort();
  }
  if (auto s = omv::dfu::parse_status(bytes)) {
    (void)omv::dfu::state_name(s->state);
    (void)omv::dfu::status_text(s->status);
    auto e = omv::dfu::encode_status(*s);
    if (omv::dfu::parse_status(e)->poll_timeout_ms != s->poll_timeout_ms) std::abort();
  }
  return 0;
}
