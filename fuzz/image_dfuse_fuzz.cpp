// DfuSe files: counts and sizes in the file must be checked before they are believed.
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/error.h"
#include "image/dfuse.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  try {
    auto file = omv::image::parse_dfuse(omv::image::ByteView(bytes, {"fuzz.dfu", "DfuSe"}));
    omv::image::dfuse_segments(file, bytes);
  } catch (const omv::Error&) {
  }
  return 0;
}
