// The DFU suffix at the end of any file.
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/error.h"
#include "image/dfu_suffix.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  try {
    if (auto found = omv::image::find_dfu_suffix(omv::image::ByteView(bytes, {"fuzz.bin", "DFU suffix"})))
      omv::image::make_dfu_suffix(bytes.first(static_cast<size_t>(found->payload_size)), found->suffix);
  } catch (const omv::Error&) {
  }
  return 0;
}
