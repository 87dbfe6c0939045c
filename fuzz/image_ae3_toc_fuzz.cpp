// The AE3 TOC pad: tail fields locate the TOC; counts must fit.
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "core/error.h"
#include "image/ae3_toc.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Most inputs are not 8 KiB; stretch them so the parser sees whole pads too.
  std::vector<uint8_t> bytes(data, data + size);
  if (size > 0 && size < omv::image::kAe3TocPadSize && (data[0] & 1)) bytes.resize(omv::image::kAe3TocPadSize, 0);
  try {
    omv::image::looks_like_ae3_toc_pad(bytes);
    omv::image::parse_ae3_toc_pad(omv::image::ByteView(bytes, {"fuzz.toc", "AE3 TOC"}));
  } catch (const omv::Error&) {
  }
  return 0;
}
