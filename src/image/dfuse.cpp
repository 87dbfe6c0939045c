#include "image/dfuse.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <map>

#include "core/error.h"
#include "core/numbers.h"
#include "image/crc32.h"

namespace omv::image {

bool looks_like_dfuse(std::span<const uint8_t> bytes) {
  return bytes.size() >= 5 && std::memcmp(bytes.data(), "DfuSe", 5) == 0;
}

namespace {

std::string printable_name(std::span<const uint8_t> field) {
  size_t n = 0;
  while (n < field.size() && field[n] != 0) ++n;
  return printable(std::string_view(reinterpret_cast<const char*>(field.data()), n));
}

void check_overlaps(const ByteView& view, const DfuseFile& file) {
  struct Piece {
    uint64_t start, end;
    size_t target, element;
    uint64_t offset;
  };
  std::map<uint8_t, std::vector<Piece>> by_alt;
  for (size_t t = 0; t < file.targets.size(); ++t)
    for (size_t e = 0; e < file.targets[t].elements.size(); ++e) {
      const auto& el = file.targets[t].elements[e];
      if (el.size) by_alt[file.targets[t].alt].push_back({el.address, uint64_t{el.address} + el.size, t, e, el.data_offset - 8});
    }
  for (auto& [alt, pieces] : by_alt) {
    std::sort(pieces.begin(), pieces.end(), [](const Piece& a, const Piece& b) { return a.start < b.start; });
    for (size_t i = 1; i < pieces.size(); ++i) {
      const auto& a = pieces[i - 1];
      const auto& b = pieces[i];
      if (b.start < a.end) {
        const auto& later = a.offset > b.offset ? a : b;
        const auto& earlier = a.offset > b.offset ? b : a;
        view.fail(later.offset, fmt::format("element {} of target {} ({}..{}) overlaps element {} of target {} ({}..{}) on alt {}",
                                            later.element, later.target, hex32(later.start), hex32(later.end),
                                            earlier.element, earlier.target, hex32(earlier.start), hex32(earlier.end), alt));
      }
    }
  }
}

}  // namespace

DfuseFile parse_dfuse(const ByteView& view) {
  DfuseFile file;
  view.need(0, kDfusePrefixSize, "the DfuSe prefix");
  if (!looks_like_dfuse(view.data())) view.fail(0, "expected the signature \"DfuSe\"");
  file.version = view.u8(5, "bVersion");
  if (file.version != 1) view.fail(5, fmt::format("expected bVersion 1, found {}", file.version));
  file.image_size = view.le32(6, "DFUImageSize");
  const uint8_t targets = view.u8(10, "bTargets");

  auto suffix = find_dfu_suffix(view);
  if (!suffix || view.size() < kDfusePrefixSize + kDfuSuffixSize)
    view.fail(view.size() >= kDfuSuffixSize ? view.size() - kDfuSuffixSize : view.size(),
              "expected a DFU suffix (\"UFD\" signature) at the end of the DfuSe file; the file is truncated or not a DfuSe file");
  file.suffix = *suffix;
  if (file.suffix.payload_size < kDfusePrefixSize)
    view.fail(view.size() - kDfuSuffixSize + 11, "DFU suffix bLength overlaps the DfuSe prefix");
  if (file.suffix.suffix.bcd_dfu != 0x011A)
    file.warnings.push_back(fmt::format("suffix bcdDFU is 0x{:04X}; dfu-util accepts DfuSe files only with 0x011A", file.suffix.suffix.bcd_dfu));
  if (file.image_size != view.size() && file.image_size != file.suffix.payload_size)
    file.warnings.push_back(fmt::format("DFUImageSize {} matches neither the file size {} nor the size without suffix {}",
                                        file.image_size, view.size(), file.suffix.payload_size));

  // Elements are read one after the other, as dfu-util does; dwTargetSize is only checked.
  const uint64_t end = file.suffix.payload_size;
  ByteView body(view.data().first(end), view.source());
  uint64_t pos = kDfusePrefixSize;
  for (uint8_t t = 0; t < targets; ++t) {
    const std::string what = fmt::format("the prefix of target {}", t);
    body.need(pos, kDfuseTargetPrefixSize, what);
    if (std::memcmp(view.data().data() + pos, "Target", 6) != 0)
      view.fail(pos, fmt::format("expected the signature \"Target\" for target {} of {}", t, targets));
    DfuseTarget target;
    target.offset = pos;
    target.alt = view.data()[pos + 6];
    target.named = load_le32(view.data().data() + pos + 7);
    target.name = target.named ? printable_name(view.data().subspan(pos + 11, 255)) : std::string();
    target.declared_size = load_le32(view.data().data() + pos + 266);
    const uint32_t count = load_le32(view.data().data() + pos + 270);
    pos += kDfuseTargetPrefixSize;
    if (count > (end - pos) / kDfuseElementHeaderSize)
      view.fail(pos - 4, fmt::format("target {} declares {} elements but only {} bytes remain before the suffix", t, count, end - pos));
    const uint64_t first = pos;
    target.elements.reserve(count);
    for (uint32_t e = 0; e < count; ++e) {
      DfuseElement el;
      el.address = body.le32(pos, fmt::format("the header of element {} of target {}", e, t));
      el.size = body.le32(pos + 4, fmt::format("the header of element {} of target {}", e, t));
      body.need(pos + 8, el.size, fmt::format("the data of element {} of target {} ({})", e, t, hex32(el.address)));
      el.data_offset = pos + 8;
      pos += 8 + uint64_t{el.size};
      target.elements.push_back(el);
    }
    if (pos - first != target.declared_size)
      file.warnings.push_back(fmt::format("target {}: dwTargetSize {} but its elements take {} bytes", t,
                                          target.declared_size, pos - first));
    file.targets.push_back(std::move(target));
  }
  if (pos != end) file.warnings.push_back(fmt::format("{} bytes after the last target (dfu-util: leftover)", end - pos));
  check_overlaps(view, file);
  return file;
}

std::vector<Segment> dfuse_segments(const DfuseFile& file, std::span<const uint8_t> bytes) {
  std::vector<Segment> out;
  for (const auto& t : file.targets)
    for (const auto& e : t.elements) {
      auto data = bytes.subspan(e.data_offset, e.size);
      out.push_back({e.address, std::vector<uint8_t>(data.begin(), data.end()), int{t.alt}});
    }
  return out;
}

uint64_t write_dfuse(const std::vector<DfusePackTarget>& targets, DfuSuffix suffix,
                     const std::function<void(std::span<const uint8_t>)>& sink) {
  if (targets.size() > 255) fail(ErrorKind::usage, fmt::format("a DfuSe file holds at most 255 targets, not {}", targets.size()));
  uint64_t total = kDfusePrefixSize + kDfuSuffixSize;
  for (const auto& t : targets) {
    if (t.name.size() > 255) fail(ErrorKind::usage, "a DfuSe target name has at most 255 bytes");
    uint64_t size = 0;
    for (const auto& e : t.elements) {
      if (e.data.size() > 0xFFFFFFFFu) fail(ErrorKind::usage, "a DfuSe element holds at most 4 GiB");
      size += kDfuseElementHeaderSize + e.data.size();
    }
    if (size > 0xFFFFFFFFu) fail(ErrorKind::usage, "a DfuSe target holds at most 4 GiB");
    total += kDfuseTargetPrefixSize + size;
  }
  if (total > 0xFFFFFFFFu) fail(ErrorKind::usage, "a DfuSe file is at most 4 GiB");

  uint32_t crc = 0xFFFFFFFFu;
  auto emit = [&](std::span<const uint8_t> bytes) {
    crc = crc32_update(crc, bytes);
    sink(bytes);
  };
  uint8_t prefix[kDfusePrefixSize] = {};
  std::memcpy(prefix, "DfuSe", 5);
  prefix[5] = 1;
  store_le32(prefix + 6, static_cast<uint32_t>(total));
  prefix[10] = static_cast<uint8_t>(targets.size());
  emit(prefix);
  for (const auto& t : targets) {
    uint64_t size = 0;
    for (const auto& e : t.elements) size += kDfuseElementHeaderSize + e.data.size();
    uint8_t head[kDfuseTargetPrefixSize] = {};
    std::memcpy(head, "Target", 6);
    head[6] = t.alt;
    store_le32(head + 7, 1);
    std::memcpy(head + 11, t.name.data(), t.name.size());
    store_le32(head + 266, static_cast<uint32_t>(size));
    store_le32(head + 270, static_cast<uint32_t>(t.elements.size()));
    emit(head);
    for (const auto& e : t.elements) {
      uint8_t element[kDfuseElementHeaderSize];
      store_le32(element, e.address);
      store_le32(element + 4, static_cast<uint32_t>(e.data.size()));
      emit(element);
      if (!e.data.empty()) emit(e.data);
    }
  }
  suffix.bcd_dfu = 0x011A;
  const auto s = make_dfu_suffix_from_state(crc, suffix);
  sink(s);
  return total;
}

std::vector<uint8_t> build_dfuse(const std::vector<DfusePackTarget>& targets, DfuSuffix suffix) {
  std::vector<uint8_t> out;
  write_dfuse(targets, suffix, [&](std::span<const uint8_t> bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); });
  return out;
}

}  // namespace omv::image
