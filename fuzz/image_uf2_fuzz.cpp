// UF2 files: blocks, families, overlaps; whatever is read must also convert back.
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/error.h"
#include "image/uf2.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::span<const uint8_t> bytes(data, size);
  try {
    omv::image::ByteView view(bytes, {"fuzz.uf2", "UF2"});
    auto file = omv::image::parse_uf2(view);
    omv::image::summarize_uf2(file, std::nullopt);
    omv::image::summarize_uf2(file, omv::image::kUf2FamilyRp2040);
    auto segments = omv::image::uf2_segments(view, file, omv::image::kUf2FamilyRp2040);
    omv::image::build_uf2(std::move(segments), omv::image::kUf2FamilyRp2040);
    omv::image::uf2_segments(view, file, std::nullopt);
  } catch (const omv::Error&) {
  }
  return 0;
}
