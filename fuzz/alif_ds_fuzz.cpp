// Alif application package scripts (application_package.ds): the image list parser.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "image/alif_ds.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    omv::image::parse_alif_ds(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.ds");
  } catch (const omv::Error&) {
  }
  return 0;
}
