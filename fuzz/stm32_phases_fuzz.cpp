// ST's phase protocol inputs: FlashLayout.tsv text, STM32 v2.3 / v1 headers, GetPhase replies
// and alt-setting names. The first byte picks the parser.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "core/error.h"
#include "image/flash_layout.h"
#include "image/stm32_header.h"
#include "protocol/dfu/stm32_phases.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::span<const uint8_t> rest(data + 1, size - 1);
  const std::string text(rest.begin(), rest.end());
  try {
    switch (data[0] % 4) {
      case 0: omv::image::parse_flash_layout(text, "/fuzz/FlashLayout.tsv", {{0x01, 0x03}}).normalised_tsv(); break;
      case 1: omv::image::parse_stm32_v23(omv::image::ByteView(rest, {"fuzz.stm32", "STM32 image"})); break;
      case 2: {
        omv::image::Stm32Header h;
        omv::image::parse_stm32_v1(omv::image::ByteView(rest, {"fuzz.blob", "layout blob"}), h);
        break;
      }
      default:
        omv::dfu::phases::parse_phase_reply(rest);
        omv::dfu::phases::parse_alt_name(text);
        omv::dfu::phases::parse_stage(text);
    }
  } catch (const omv::Error&) {
  }
  return 0;
}
