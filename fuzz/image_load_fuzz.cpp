// load_image: format detection and every reader behind it, as the flash code calls it.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "image/load.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  // The first byte picks the file name, since detection also looks at names.
  static const char* const names[] = {"fuzz.bin", "fuzz.uf2", "firmware_pad.toc", "openmv.bin"};
  try {
    omv::image::load_image(std::vector<uint8_t>(data + 1, data + size), names[data[0] & 3], {0x08000000, std::nullopt});
  } catch (const omv::Error&) {
  }
  return 0;
}
