#include "image/elf_to_bin.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/numbers.h"

namespace omv::image {

std::vector<LoadSection> elf_load_sections(const ElfFile& elf) {
  std::vector<LoadSection> out;
  for (const auto& s : elf.sections)
    if (s.loadable() && s.size > 0) out.push_back({s.name, s.lma, s.addr, s.size});
  return out;
}

namespace {

std::vector<Segment> section_pieces(const ElfFile& elf) {
  std::vector<Segment> pieces;
  for (const auto& s : elf.sections) {
    if (!s.loadable() || s.size == 0) continue;
    auto bytes = elf.contents(s);
    pieces.push_back({s.lma, std::vector<uint8_t>(bytes.begin(), bytes.end()), std::nullopt});
  }
  return pieces;
}

}  // namespace

std::vector<Segment> elf_load_segments(const ElfFile& elf) { return coalesce(section_pieces(elf)); }

Flat elf_to_bin(const ElfFile& elf, const ElfToBinOptions& options) {
  try {
    return flatten(section_pieces(elf), options.gap_fill, options.max_size);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::refused) throw;
    // Name the sections that are far apart: that is what the user needs to fix.
    auto sections = elf_load_sections(elf);
    const LoadSection* lo = &sections.front();
    const LoadSection* hi = &sections.front();
    for (const auto& s : sections) {
      if (s.lma < lo->lma) lo = &s;
      if (s.lma + s.size > hi->lma + hi->size) hi = &s;
    }
    fail(ErrorKind::refused,
         fmt::format("{}: sections {} (load address {}) and {} (load address {}) are {} apart; the binary would exceed {}",
                     elf.source.file, lo->name, hex32(lo->lma), hi->name, hex32(hi->lma),
                     human_size(hi->lma + hi->size - lo->lma), human_size(options.max_size)),
         "check the linker script: a section meant for RAM probably has no AT> load address in flash");
  }
}

Flat elf_to_bin(const std::filesystem::path& elf_file, const ElfToBinOptions& options) {
  return elf_to_bin(read_elf(elf_file), options);
}

}  // namespace omv::image
