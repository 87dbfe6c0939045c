#include "image/stm32_header.h"

#include <fmt/format.h>

namespace omv::image {

uint32_t stm32_byte_sum(std::span<const uint8_t> bytes) {
  uint32_t sum = 0;
  for (uint8_t b : bytes) sum += b;
  return sum;
}

Stm32Header parse_stm32_v23(const ByteView& file, uint64_t limit) {
  Stm32Header h;
  if (file.le32(0, "the STM32 header magic") != kStm32Magic) file.fail(0, "expected the STM32 header magic \"STM2\"");
  file.need(0, kStm32V23FixedHeaderSize, "the STM32 v2.3 header");
  h.version_minor = file.u8(0x69, "header version");
  h.version_major = file.u8(0x6A, "header version");
  if (h.version_major != 2 || h.version_minor != 3)
    file.fail(0x68, fmt::format("header version {}.{}; the STM32N6 boot ROM takes v2.3", h.version_major, h.version_minor));
  h.checksum = file.le32(0x64, "checksum");
  h.image_length = file.le32(0x6C, "image length");
  h.entry_point = file.le32(0x70, "entry point");
  h.load_address = file.le32(0x78, "load address");
  h.extension_flags = file.le32(0x84, "extension flags");
  h.extension_length = file.le32(0x88, "extension headers length");
  if (!file.has(kStm32V23FixedHeaderSize, h.extension_length))
    file.fail(0x88, fmt::format("extension headers of {} bytes run past the end of the file ({} bytes)",
                                h.extension_length, file.size()));
  h.payload_offset = kStm32V23FixedHeaderSize + uint64_t{h.extension_length};
  if (h.payload_offset + h.image_length != file.size())
    file.fail(0x6C, fmt::format("image length {} + headers {} is not the file size {}", h.image_length,
                                h.payload_offset, file.size()));
  if (file.size() > limit)
    file.fail(0, fmt::format("{} bytes, over the {} KiB the STM32N6 boot ROM can load", file.size(), limit / 1024));
  const uint32_t sum = stm32_byte_sum(file.bytes(h.payload_offset, h.image_length, "the payload"));
  if (sum != h.checksum)
    file.fail(0x64, fmt::format("checksum 0x{:08X} does not match the payload's byte sum 0x{:08X}", h.checksum, sum));
  return h;
}

bool parse_stm32_v1(const ByteView& blob, Stm32Header& out) {
  if (!blob.has(0, 4) || blob.le32(0, "magic") != kStm32Magic) return false;
  blob.need(0, kStm32V1HeaderSize, "the STM32 v1 header");
  Stm32Header h;
  const uint32_t version = blob.le32(0x48, "header version");
  h.version_major = static_cast<uint8_t>(version >> 16);
  h.version_minor = static_cast<uint8_t>(version >> 8);
  if (h.version_major != 1) blob.fail(0x48, fmt::format("header version 0x{:08X}; expected v1 (0x00010000)", version));
  h.checksum = blob.le32(0x44, "checksum");
  h.image_length = blob.le32(0x4C, "image length");
  h.entry_point = blob.le32(0x50, "entry point");
  h.load_address = blob.le32(0x58, "load address");
  h.payload_offset = kStm32V1HeaderSize;
  if (!blob.has(kStm32V1HeaderSize, h.image_length))
    blob.fail(0x4C, fmt::format("image length {} runs past the end of the blob ({} bytes)", h.image_length, blob.size()));
  const uint32_t sum = stm32_byte_sum(blob.bytes(kStm32V1HeaderSize, h.image_length, "the payload"));
  if (sum != h.checksum)
    blob.fail(0x44, fmt::format("checksum 0x{:08X} does not match the payload's byte sum 0x{:08X}", h.checksum, sum));
  out = h;
  return true;
}

std::vector<uint8_t> wrap_in_stm32_v1(std::span<const uint8_t> payload) {
  std::vector<uint8_t> out(kStm32V1HeaderSize, 0);
  store_le32(&out[0x00], kStm32Magic);
  store_le32(&out[0x44], stm32_byte_sum(payload));
  store_le32(&out[0x48], 0x00010000);
  store_le32(&out[0x4C], static_cast<uint32_t>(payload.size()));
  store_le32(&out[0x64], 1);  // option flags: no signature
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

std::vector<uint8_t> make_stm32_v23(std::span<const uint8_t> payload, uint32_t entry_point, uint32_t payload_offset,
                                    uint32_t load_address) {
  // Extension headers end at 0x240 as in ST's shipped images; the zeros up to payload_offset
  // belong to the checksummed payload.
  const uint32_t headers_end = payload_offset >= 0x240 ? 0x240 : static_cast<uint32_t>(kStm32V23FixedHeaderSize);
  std::vector<uint8_t> out(headers_end, 0);
  std::vector<uint8_t> body(payload_offset - headers_end, 0);
  body.insert(body.end(), payload.begin(), payload.end());
  store_le32(&out[0x00], kStm32Magic);
  store_le32(&out[0x64], stm32_byte_sum(body));
  out[0x69] = 3;
  out[0x6A] = 2;
  store_le32(&out[0x6C], static_cast<uint32_t>(body.size()));
  store_le32(&out[0x70], entry_point);
  store_le32(&out[0x78], load_address);
  const uint32_t ext = headers_end - static_cast<uint32_t>(kStm32V23FixedHeaderSize);
  store_le32(&out[0x84], ext ? 0x80000000u : 0);
  store_le32(&out[0x88], ext);
  if (ext) {  // one padding extension header: type "ST\xFF\xFF", its length
    out[0xA0] = 'S';
    out[0xA1] = 'T';
    out[0xA2] = 0xFF;
    out[0xA3] = 0xFF;
    store_le32(&out[0xA4], ext);
  }
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

}  // namespace omv::image
