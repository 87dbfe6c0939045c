#pragma once
// Test-made stand-ins for ST's two N6 recovery files (not redistributable): an OpenBootloader-
// shaped .stm32 (v2.3 header, no signature, payload at 0x400, entry = its reset vector) and an
// external-flash loader whose function table (Init, Write, SectorErase, MassErase, CheckSum,
// Verify, Read) points into the loader RAM, Read left 0 as in ST's MX66UW1G45G loader.
#include <cstdint>
#include <vector>

#include "core/test_pattern.h"
#include "image/reader.h"
#include "image/stm32_header.h"

namespace omv::test_data {

inline std::vector<uint8_t> test_openbl_stm32(size_t payload_bytes = 40000, uint8_t seed = 0x31) {
  auto payload = pattern(payload_bytes, seed);
  const uint32_t entry = 0x34180400 + 0x1DA1;
  image::store_le32(&payload[4], entry);  // reset vector
  return image::make_stm32_v23(payload, entry);
}

inline std::vector<uint8_t> test_extfl_loader(uint32_t ram = 0x38000000, size_t bytes = 7880, uint8_t seed = 0x52) {
  auto loader = pattern(bytes, seed);
  const uint32_t entries[7] = {ram + 0x101, ram + 0x201, ram + 0x301, ram + 0x401, ram + 0x501, ram + 0x601, 0};
  for (int i = 0; i < 7; ++i) image::store_le32(&loader[static_cast<size_t>(i) * 4], entries[i]);
  return loader;
}

}  // namespace omv::test_data
