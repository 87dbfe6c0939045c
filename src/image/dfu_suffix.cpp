#include "image/dfu_suffix.h"

#include <fmt/format.h>

#include "image/crc32.h"

namespace omv::image {

bool has_dfu_signature(std::span<const uint8_t> bytes) {
  if (bytes.size() < kDfuSuffixSize) return false;
  const uint8_t* s = bytes.data() + bytes.size() - kDfuSuffixSize;
  return s[8] == 'U' && s[9] == 'F' && s[10] == 'D';
}

std::optional<FoundSuffix> find_dfu_suffix(const ByteView& view) {
  if (!has_dfu_signature(view.data())) return std::nullopt;
  const uint64_t at = view.size() - kDfuSuffixSize;
  const uint8_t* s = view.data().data() + at;
  FoundSuffix found;
  found.suffix.bcd_device = load_le16(s);
  found.suffix.product = load_le16(s + 2);
  found.suffix.vendor = load_le16(s + 4);
  found.suffix.bcd_dfu = load_le16(s + 6);
  found.suffix.length = s[11];
  found.suffix.crc = load_le32(s + 12);
  if (found.suffix.length < kDfuSuffixSize)
    view.fail(at + 11, fmt::format("expected a DFU suffix bLength of at least 16, found {}", found.suffix.length));
  if (found.suffix.length > view.size())
    view.fail(at + 11, fmt::format("DFU suffix bLength {} is longer than the {}-byte file", found.suffix.length, view.size()));
  found.payload_size = view.size() - found.suffix.length;
  found.computed_crc = dfu_crc(view.data().first(view.size() - 4));
  return found;
}

std::array<uint8_t, kDfuSuffixSize> make_dfu_suffix_from_state(uint32_t crc_state, const DfuSuffix& f) {
  std::array<uint8_t, kDfuSuffixSize> s{};
  store_le16(&s[0], f.bcd_device);
  store_le16(&s[2], f.product);
  store_le16(&s[4], f.vendor);
  store_le16(&s[6], f.bcd_dfu);
  s[8] = 'U';
  s[9] = 'F';
  s[10] = 'D';
  s[11] = static_cast<uint8_t>(kDfuSuffixSize);
  store_le32(&s[12], crc32_update(crc_state, std::span<const uint8_t>(s.data(), 12)));
  return s;
}

std::array<uint8_t, kDfuSuffixSize> make_dfu_suffix(std::span<const uint8_t> payload, const DfuSuffix& f) {
  return make_dfu_suffix_from_state(dfu_crc(payload), f);
}

}  // namespace omv::image
