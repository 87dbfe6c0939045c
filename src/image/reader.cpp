#include "image/reader.h"

#include <fmt/format.h>

#include "core/error.h"

namespace omv::image {

void malformed(const Source& source, uint64_t offset, std::string_view what) {
  fail(ErrorKind::bad_file, fmt::format("{}: {}: offset {} (0x{:X}): {}", source.file, source.format, offset, offset, what));
}

std::string printable(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (char ch : raw) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7F && c != '\\') out += ch;
    else out += fmt::format("\\x{:02x}", c);
  }
  return out;
}

void ByteView::need(uint64_t offset, uint64_t count, std::string_view what) const {
  if (has(offset, count)) return;
  fail(offset, fmt::format("expected {} ({} bytes), but the file ends at offset {}", what, count, size()));
}

uint8_t ByteView::u8(uint64_t offset, std::string_view what) const {
  need(offset, 1, what);
  return data_[offset];
}

uint16_t ByteView::le16(uint64_t offset, std::string_view what) const {
  need(offset, 2, what);
  return load_le16(data_.data() + offset);
}

uint32_t ByteView::le32(uint64_t offset, std::string_view what) const {
  need(offset, 4, what);
  return load_le32(data_.data() + offset);
}

std::span<const uint8_t> ByteView::bytes(uint64_t offset, uint64_t count, std::string_view what) const {
  need(offset, count, what);
  return data_.subspan(offset, count);
}

}  // namespace omv::image
