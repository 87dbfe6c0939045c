// ROMFS images: varuints, nested records, indirect data, names.
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/error.h"
#include "image/romfs.h"
#include "image/romfs_extract.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  try {
    auto fs = omv::image::parse_romfs(omv::image::ByteView(bytes, {"fuzz.img", "ROMFS"}));
    for (const auto& e : fs.entries)
      if (!e.directory && (e.data_offset > size || e.size > size - e.data_offset)) __builtin_trap();
    omv::image::check_romfs_names(fs, "fuzz.img", "/nonexistent");
  } catch (const omv::Error&) {
  }
  return 0;
}
