// romfs_config.json from a checkout or a user.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/error.h"
#include "image/romfs_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    omv::image::parse_romfs_config(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.json");
  } catch (const omv::Error&) {
  }
  return 0;
}
