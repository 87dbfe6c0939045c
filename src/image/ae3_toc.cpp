#include "image/ae3_toc.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>

#include "core/error.h"
#include "core/numbers.h"
#include "image/crc32.h"

namespace omv::image {
namespace {

constexpr uint64_t kTail = 16;
constexpr uint64_t kHeader = 32;
constexpr uint64_t kEntry = 32;

std::string fixed_string(std::span<const uint8_t> field) {
  size_t n = 0;
  while (n < field.size() && field[n] != 0) ++n;
  return printable(std::string_view(reinterpret_cast<const char*>(field.data()), n));
}

}  // namespace

std::string Ae3TocEntry::cpu() const {
  switch (flags & 0xF) {
    case 0: return "A32_0";
    case 1: return "A32_1";
    case 2: return "M55_HP";
    case 3: return "M55_HE";
    case 0xF: return "none";
    default: return fmt::format("cpu {}", flags & 0xF);
  }
}

std::vector<std::string> Ae3TocEntry::flag_names() const {
  std::vector<std::string> names;
  if (flags & 0x10) names.push_back("compress");
  if (flags & 0x20) names.push_back("load");
  if (flags & 0x40) names.push_back("boot");
  if (flags & 0x80) names.push_back("encrypt");
  if (flags & 0x100) names.push_back("deferred");
  return names;
}

std::string Ae3TocEntry::version_text() const {
  return fmt::format("{}.{}.{}", version >> 24, (version >> 16) & 0xFF, (version >> 8) & 0xFF);
}

bool looks_like_ae3_toc_pad(std::span<const uint8_t> bytes) {
  if (bytes.size() != kAe3TocPadSize) return false;
  const uint8_t* tail = bytes.data() + kAe3TocPadSize - kTail;
  const uint32_t toc = load_le32(tail + 4), package = load_le32(tail + 8), size = load_le32(tail + 12);
  if (size < kHeader + kTail || size > kAe3TocPadSize || toc < package || toc - package > size - kHeader - kTail) return false;
  const uint64_t at = kAe3TocPadSize - size + (toc - package);
  return std::memcmp(bytes.data() + at, "OEMTOC", 6) == 0;
}

Ae3Toc parse_ae3_toc_pad(const ByteView& view) {
  Ae3Toc toc;
  if (view.size() < kAe3TocPadSize)
    view.fail(view.size(), fmt::format("expected the 8192-byte TOC pad, but the file ends at offset {}", view.size()));
  if (view.size() > kAe3TocPadSize)
    view.fail(kAe3TocPadSize, fmt::format("expected the file to end at 8192 bytes (the TOC partition), it has {}", view.size()));
  const uint64_t tail = kAe3TocPadSize - kTail;
  toc.crc = view.le32(tail, "the TOC CRC");
  toc.toc_address = view.le32(tail + 4, "the TOC address");
  toc.package_address = view.le32(tail + 8, "the package address");
  toc.package_size = view.le32(tail + 12, "the package size");
  if (toc.package_size < kHeader + kTail || toc.package_size > kAe3TocPadSize)
    view.fail(tail + 12, fmt::format("expected a package size between 48 and 8192 bytes, found {}", toc.package_size));
  toc.package_offset = kAe3TocPadSize - toc.package_size;
  if (toc.toc_address < toc.package_address || toc.toc_address - toc.package_address > toc.package_size - kHeader - kTail)
    view.fail(tail + 4, fmt::format("TOC address {} lies outside the package {}..{}", hex32(toc.toc_address),
                                    hex32(toc.package_address), hex32(uint64_t{toc.package_address} + toc.package_size)));
  toc.toc_offset = toc.package_offset + (toc.toc_address - toc.package_address);
  auto pad = view.data().first(static_cast<size_t>(toc.package_offset));
  toc.padding_is_zero = std::all_of(pad.begin(), pad.end(), [](uint8_t b) { return b == 0; });

  const uint64_t h = toc.toc_offset;
  toc.identifier = fixed_string(view.bytes(h, 8, "the TOC identifier"));
  if (toc.identifier.rfind("OEMTOC", 0) != 0)
    view.fail(h, fmt::format("expected the TOC identifier \"OEMTOC01\", found \"{}\"", toc.identifier));
  const uint16_t header_size = view.le16(h + 8, "the TOC header size");
  const uint16_t count = view.le16(h + 10, "the TOC entry count");
  const uint16_t entry_size = view.le16(h + 12, "the TOC entry size");
  toc.version = view.le16(h + 14, "the TOC version");
  toc.part = fixed_string(view.bytes(h + 16, 16, "the part number"));
  if (header_size != kHeader) view.fail(h + 8, fmt::format("expected a TOC header size of 32, found {}", header_size));
  if (entry_size != kEntry) view.fail(h + 12, fmt::format("expected a TOC entry size of 32, found {}", entry_size));
  if (uint64_t{count} * kEntry > tail - h - kHeader)
    view.fail(h + 10, fmt::format("{} entries of 32 bytes do not fit between the TOC header and the tail", count));
  for (uint16_t i = 0; i < count; ++i) {
    const uint64_t e = h + kHeader + uint64_t{i} * kEntry;
    Ae3TocEntry entry;
    entry.object_address = view.le32(e, "an object address");
    entry.object_length = view.le32(e + 4, "an object length");
    entry.object_type = view.le32(e + 8, "an object type");
    entry.flags = view.le32(e + 12, "object flags");
    entry.version = view.le32(e + 16, "an object version");
    entry.identifier = fixed_string(view.bytes(e + 20, 8, "an image identifier"));
    toc.entries.push_back(std::move(entry));
  }
  toc.computed_crc = zlib_crc32(view.data().subspan(static_cast<size_t>(h), static_cast<size_t>(tail - h)));
  return toc;
}

std::vector<uint8_t> pad_ae3_toc(std::span<const uint8_t> toc, const std::string& file) {
  if (toc.size() > kAe3TocPadSize)
    fail(ErrorKind::refused, fmt::format("{} is {} bytes, more than the 8192-byte TOC partition; nothing was written", file, toc.size()));
  std::vector<uint8_t> out(kAe3TocPadSize, 0);
  std::memcpy(out.data() + (kAe3TocPadSize - toc.size()), toc.data(), toc.size());
  return out;
}

}  // namespace omv::image
