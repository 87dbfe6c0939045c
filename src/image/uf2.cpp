#include "image/uf2.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <set>

#include "core/error.h"
#include "core/numbers.h"
#include "core/text.h"

namespace omv::image {
namespace {

constexpr uint32_t kPage = 256;
constexpr size_t kMaxPayload = 476;

struct NamedFamily {
  const char* name;
  uint32_t id;
};
constexpr NamedFamily kFamilies[] = {
    {"rp2040", 0xE48BFF56},       {"rp2350-arm-s", 0xE48BFF59}, {"rp2350-riscv", 0xE48BFF5A},
    {"rp2350-arm-ns", 0xE48BFF5B}, {"absolute", 0xE48BFF57},    {"data", 0xE48BFF58},
    {"cyw43-firmware", 0xE48BFF55},
};

}  // namespace

bool looks_like_uf2(std::span<const uint8_t> bytes) {
  return bytes.size() >= 8 && load_le32(bytes.data()) == kUf2Magic0 && load_le32(bytes.data() + 4) == kUf2Magic1;
}

Uf2File parse_uf2(const ByteView& view) {
  Uf2File file;
  if (view.size() == 0) view.fail(0, "expected at least one 512-byte UF2 block, the file is empty");
  if (view.size() % kUf2BlockSize != 0) {
    const uint64_t last = view.size() - view.size() % kUf2BlockSize;
    view.fail(last, fmt::format("expected a whole 512-byte block, but the file ends at offset {} ({} bytes into block {})",
                                view.size(), view.size() - last, last / kUf2BlockSize));
  }
  const size_t count = static_cast<size_t>(view.size() / kUf2BlockSize);
  file.blocks.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const uint64_t at = uint64_t{i} * kUf2BlockSize;
    const uint8_t* b = view.data().data() + at;
    if (load_le32(b) != kUf2Magic0) view.fail(at, fmt::format("block {}: expected magicStart0 0x0A324655, found 0x{:08X}", i, load_le32(b)));
    if (load_le32(b + 4) != kUf2Magic1)
      view.fail(at + 4, fmt::format("block {}: expected magicStart1 0x9E5D5157, found 0x{:08X}", i, load_le32(b + 4)));
    if (load_le32(b + 508) != kUf2MagicEnd)
      view.fail(at + 508, fmt::format("block {}: expected magicEnd 0x0AB16F30, found 0x{:08X}", i, load_le32(b + 508)));
    Uf2Block blk;
    blk.offset = at;
    blk.flags = load_le32(b + 8);
    blk.target = load_le32(b + 12);
    blk.payload_size = load_le32(b + 16);
    blk.block_no = load_le32(b + 20);
    blk.num_blocks = load_le32(b + 24);
    blk.family = load_le32(b + 28);
    if (blk.payload_size > kMaxPayload)
      view.fail(at + 16, fmt::format("block {}: payloadSize {} is more than the 476 bytes a block holds", i, blk.payload_size));
    if (blk.block_no >= blk.num_blocks)
      view.fail(at + 20, fmt::format("block {}: blockNo {} is not below numBlocks {}", i, blk.block_no, blk.num_blocks));
    if (uint64_t{blk.target} + blk.payload_size > 0x100000000ull)
      view.fail(at + 12, fmt::format("block {}: {} bytes at {} run past the 32-bit address space", i, blk.payload_size, hex32(blk.target)));
    blk.payload = view.data().subspan(at + 32, blk.payload_size);
    file.blocks.push_back(blk);
  }
  return file;
}

std::optional<uint32_t> parse_uf2_family(const std::string& text) {
  for (const auto& f : kFamilies)
    if (iequals(text, f.name)) return f.id;
  auto v = parse_u64(text);
  if (v && *v <= 0xFFFFFFFFu) return static_cast<uint32_t>(*v);
  return std::nullopt;
}

std::string uf2_family_name(uint32_t family) {
  for (const auto& f : kFamilies)
    if (f.id == family) return f.name;
  return fmt::format("0x{:08X}", family);
}

namespace {

bool selected(const Uf2Block& b, std::optional<uint32_t> family) {
  if (!family) return true;
  return b.has_family() ? b.family == *family : *family == 0;
}

}  // namespace

Uf2Summary summarize_uf2(const Uf2File& file, std::optional<uint32_t> family) {
  Uf2Summary s;
  s.blocks = file.blocks.size();
  std::set<uint32_t> seen;
  std::vector<Segment> pieces;
  const Uf2Block* prev = nullptr;
  for (size_t i = 0; i < file.blocks.size(); ++i) {
    const auto& b = file.blocks[i];
    ++s.families[b.has_family() ? b.family : 0];
    if (!selected(b, family)) continue;
    if (prev) {
      if (b.block_no != prev->block_no + 1) {
        ++s.out_of_order;
        if (!s.first_out_of_order) s.first_out_of_order = i;
      }
      if (b.num_blocks != file.blocks.front().num_blocks) ++s.num_blocks_changes;
    }
    prev = &b;
    if (b.flags & kUf2NotMainFlash) {
      ++s.not_main_flash;
      continue;
    }
    if (!seen.insert(b.target).second) {
      ++s.duplicates;
      if (!s.first_duplicate) s.first_duplicate = i;
    }
    pieces.push_back({b.target, std::vector<uint8_t>(b.payload.begin(), b.payload.end()), std::nullopt});
  }
  s.ranges = coalesce(std::move(pieces));
  s.gaps = gaps_between(s.ranges);
  return s;
}

std::vector<Segment> uf2_segments(const ByteView& view, const Uf2File& file, std::optional<uint32_t> family) {
  if (!family) {
    std::set<uint32_t> families;
    for (const auto& b : file.blocks) families.insert(b.has_family() ? b.family : 0);
    if (families.size() > 1) {
      std::vector<std::string> names;
      for (auto f : families) names.push_back(f ? uf2_family_name(f) : "none");
      fail(ErrorKind::usage, fmt::format("{}: UF2 blocks of several families ({}); choose one with --family", view.source().file, join(names, ", ")));
    }
    if (!families.empty()) family = *families.begin();
  }
  // Blocks sorted by address; same address must mean same bytes, partial overlaps are refused.
  std::vector<const Uf2Block*> chosen;
  for (const auto& b : file.blocks)
    if (selected(b, family) && !(b.flags & kUf2NotMainFlash) && (b.flags & kUf2FileContainer) == 0 && b.payload_size > 0)
      chosen.push_back(&b);
  std::stable_sort(chosen.begin(), chosen.end(), [](const Uf2Block* a, const Uf2Block* b) { return a->target < b->target; });
  std::vector<Segment> pieces;
  const Uf2Block* last = nullptr;
  for (const Uf2Block* b : chosen) {
    if (last && b->target < uint64_t{last->target} + last->payload_size) {
      const bool same = b->target == last->target && b->payload_size == last->payload_size &&
                        std::equal(b->payload.begin(), b->payload.end(), last->payload.begin());
      if (same) continue;
      view.fail(b->offset, fmt::format("block {} ({} bytes at {}) overlaps block {} ({} bytes at {}) with different data",
                                       b->offset / kUf2BlockSize, b->payload_size, hex32(b->target),
                                       last->offset / kUf2BlockSize, last->payload_size, hex32(last->target)));
    }
    pieces.push_back({b->target, std::vector<uint8_t>(b->payload.begin(), b->payload.end()), std::nullopt});
    last = b;
  }
  return coalesce(std::move(pieces));
}

size_t write_uf2(std::vector<Segment> segments, uint32_t family,
                 const std::function<void(std::span<const uint8_t>)>& sink) {
  auto sorted = coalesce(std::move(segments));
  std::vector<uint64_t> pages;
  for (const auto& s : sorted) {
    if (s.data.empty()) continue;
    if (s.end() > 0x100000000ull) fail(ErrorKind::usage, fmt::format("UF2 addresses are 32-bit; data ends at {}", hex32(s.end())));
    for (uint64_t p = s.address / kPage * kPage; p < s.end(); p += kPage)
      if (pages.empty() || pages.back() != p) pages.push_back(p);
  }
  const size_t count = pages.size();
  uint8_t b[kUf2BlockSize];
  size_t first = 0;  // the first segment that may reach the current page (sorted, disjoint)
  for (size_t i = 0; i < count; ++i) {
    const uint64_t base = pages[i];
    store_le32(b, kUf2Magic0);
    store_le32(b + 4, kUf2Magic1);
    store_le32(b + 8, kUf2FamilyIdPresent);
    store_le32(b + 12, static_cast<uint32_t>(base));
    store_le32(b + 16, kPage);
    store_le32(b + 20, static_cast<uint32_t>(i));
    store_le32(b + 24, static_cast<uint32_t>(count));
    store_le32(b + 28, family);
    std::memset(b + 32, 0xFF, kPage);
    std::memset(b + 32 + kPage, 0, kMaxPayload - kPage);
    store_le32(b + 508, kUf2MagicEnd);
    while (first < sorted.size() && sorted[first].end() <= base) ++first;
    for (size_t k = first; k < sorted.size() && sorted[k].address < base + kPage; ++k) {
      const auto& s = sorted[k];
      const uint64_t from = std::max(base, s.address), to = std::min(base + kPage, s.end());
      if (from < to) std::memcpy(b + 32 + (from - base), s.data.data() + (from - s.address), static_cast<size_t>(to - from));
    }
    sink(std::span<const uint8_t>(b, sizeof b));
  }
  return count;
}

std::vector<uint8_t> build_uf2(std::vector<Segment> segments, uint32_t family) {
  std::vector<uint8_t> out;
  write_uf2(std::move(segments), family, [&](std::span<const uint8_t> block) { out.insert(out.end(), block.begin(), block.end()); });
  return out;
}

}  // namespace omv::image
