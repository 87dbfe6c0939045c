#include "image/crc32.h"

#include <zlib.h>

#include <algorithm>

namespace omv::image {

// zlib keeps the register inverted between calls (its crc32(0, ...) is the finished CRC-32);
// our state is the raw register, so invert on the way in and out. zlib's implementation is
// several times faster than a table loop, which keeps conversions of large images I/O-bound.
uint32_t crc32_update(uint32_t state, std::span<const uint8_t> data) {
  uLong crc = ~state & 0xFFFFFFFFu;
  const Bytef* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    const auto n = static_cast<uInt>(std::min<size_t>(left, 1u << 30));
    crc = ::crc32(crc, p, n);
    p += n;
    left -= n;
  }
  return ~static_cast<uint32_t>(crc);
}

}  // namespace omv::image
