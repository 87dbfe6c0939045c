#include "image/info.h"

#include <elf.h>
#include <fmt/format.h>

#include <map>
#include <set>

#include "core/error.h"
#include "core/numbers.h"
#include "core/text.h"
#include "image/ae3_toc.h"
#include "image/board_fit.h"
#include "image/detect.h"
#include "image/dfu_suffix.h"
#include "image/dfuse.h"
#include "image/elf_to_bin.h"
#include "image/file_io.h"
#include "image/openmv_bin.h"
#include "image/romfs.h"
#include "image/uf2.h"

namespace omv::image {
namespace {

using json = nlohmann::json;

json ranges_json(const std::vector<Segment>& segments) {
  json a = json::array();
  for (const auto& s : segments) a.push_back({{"start", s.address}, {"end", s.end()}, {"size", s.data.size()}});
  return a;
}

json suffix_json(const FoundSuffix& s) {
  return {{"vendor", s.suffix.vendor},   {"product", s.suffix.product},    {"bcd_device", s.suffix.bcd_device},
          {"bcd_dfu", s.suffix.bcd_dfu}, {"length", s.suffix.length},      {"crc", s.suffix.crc},
          {"computed_crc", s.computed_crc}, {"crc_ok", s.crc_ok()}};
}

std::optional<json> vector_table(std::span<const uint8_t> bytes) {
  if (bytes.size() < 8) return std::nullopt;
  const uint32_t sp = load_le32(bytes.data()), reset = load_le32(bytes.data() + 4);
  if (!(reset & 1) || (sp & 3) != 0 || sp == 0) return std::nullopt;
  return json{{"initial_sp", sp}, {"reset_vector", reset}};
}

std::string segment_flags(uint32_t f) {
  std::string s;
  s += (f & PF_R) ? 'R' : '-';
  s += (f & PF_W) ? 'W' : '-';
  s += (f & PF_X) ? 'X' : '-';
  return s;
}

json describe_elf(std::vector<uint8_t> bytes, const std::string& name, const boards::Board* board) {
  auto elf = parse_elf(std::move(bytes), name);
  json j;
  j["class"] = elf.is64 ? 64 : 32;
  j["endian"] = elf.big_endian ? "big" : "little";
  j["machine"] = elf.machine_name();
  if (auto abi = elf.abi_note(); !abi.empty()) j["abi"] = abi;
  j["type"] = elf.type == ET_EXEC ? "executable" : elf.type == ET_REL ? "relocatable" : elf.type == ET_DYN ? "shared" : fmt::format("{}", elf.type);
  j["entry"] = elf.entry;
  json segs = json::array();
  for (const auto& p : elf.program_headers)
    if (p.type == PT_LOAD)
      segs.push_back({{"offset", p.offset}, {"vaddr", p.vaddr}, {"paddr", p.paddr}, {"filesz", p.filesz},
                      {"memsz", p.memsz}, {"flags", segment_flags(p.flags)}});
  j["load_segments"] = segs;
  json sections = json::array();
  for (const auto& s : elf_load_sections(elf))
    sections.push_back({{"name", printable(s.name)}, {"lma", s.lma}, {"vma", s.vma}, {"size", s.size}});
  j["load_sections"] = sections;
  auto runs = elf_load_segments(elf);
  j["load"] = ranges_json(runs);
  j["bin_size"] = runs.empty() ? 0 : runs.back().end() - runs.front().address;
  j["dwarf"] = elf.has_dwarf();
  json dbg = json::array();
  for (const auto& d : elf.debug_sections()) dbg.push_back(printable(d));
  j["debug_sections"] = dbg;
  if (board) j["board"] = fit_segments(*board, runs);
  return j;
}

json describe_dfuse(const ByteView& view) {
  auto file = parse_dfuse(view);
  json j;
  j["version"] = file.version;
  j["image_size"] = file.image_size;
  json targets = json::array();
  for (const auto& t : file.targets) {
    json elements = json::array();
    for (const auto& e : t.elements)
      elements.push_back({{"address", e.address}, {"size", e.size}, {"end", uint64_t{e.address} + e.size}, {"offset", e.data_offset}});
    targets.push_back({{"alt", t.alt}, {"named", t.named != 0}, {"name", t.name}, {"offset", t.offset},
                       {"target_size", t.declared_size}, {"elements", elements}});
  }
  j["targets"] = targets;
  j["suffix"] = suffix_json(file.suffix);
  j["warnings"] = file.warnings;
  return j;
}

json describe_uf2(const ByteView& view, const boards::Board* board) {
  auto file = parse_uf2(view);
  std::optional<uint32_t> family;
  std::set<uint32_t> families;
  for (const auto& b : file.blocks) families.insert(b.has_family() ? b.family : 0);
  if (board)
    if (auto it = board->loader.find("uf2_family"); it != board->loader.end()) family = parse_uf2_family(it->second);
  if (!family && families.size() == 1) family = *families.begin();
  auto s = summarize_uf2(file, family);
  json j;
  j["blocks"] = s.blocks;
  json fam = json::array();
  for (const auto& [id, count] : s.families)
    fam.push_back({{"id", id}, {"name", id ? uf2_family_name(id) : "none"}, {"blocks", count}});
  j["families"] = fam;
  if (family) j["family"] = *family ? uf2_family_name(*family) : "none";
  j["ranges"] = ranges_json(s.ranges);
  json gaps = json::array();
  for (const auto& g : s.gaps) gaps.push_back({{"start", g.start}, {"end", g.end}, {"size", g.end - g.start}});
  j["gaps"] = gaps;
  j["out_of_order"] = s.out_of_order;
  j["duplicates"] = s.duplicates;
  j["not_main_flash"] = s.not_main_flash;
  j["num_blocks_changes"] = s.num_blocks_changes;
  if (s.first_out_of_order) j["first_out_of_order_block"] = *s.first_out_of_order;
  if (s.first_duplicate) j["first_duplicate_block"] = *s.first_duplicate;
  if (!file.blocks.empty()) j["num_blocks"] = file.blocks.front().num_blocks;
  if (board) j["board"] = fit_segments(*board, s.ranges);
  return j;
}

json describe_romfs(const ByteView& view) {
  auto fs = parse_romfs(view);
  json j;
  j["payload_offset"] = fs.payload_offset;
  j["payload_size"] = fs.payload_size;
  j["image_size"] = fs.image_size();
  j["trailing"] = fs.trailing;
  json entries = json::array();
  for (const auto& e : fs.entries) {
    json x = {{"path", printable(e.path)}, {"type", e.directory ? "dir" : "file"}, {"record_offset", e.record_offset}};
    if (!e.directory) {
      x["size"] = e.size;
      x["offset"] = e.data_offset;
      x["alignment"] = alignment_of(e.data_offset);
      if (e.indirect) x["indirect"] = true;
    }
    entries.push_back(x);
  }
  j["entries"] = entries;
  j["warnings"] = fs.warnings;
  return j;
}

json describe_toc(const ByteView& view, const boards::Board* board) {
  auto toc = parse_ae3_toc_pad(view);
  json j;
  j["padding"] = toc.package_offset;
  j["padding_is_zero"] = toc.padding_is_zero;
  j["package_address"] = toc.package_address;
  j["package_size"] = toc.package_size;
  j["package_end"] = uint64_t{toc.package_address} + toc.package_size;
  j["toc_address"] = toc.toc_address;
  j["toc_offset"] = toc.toc_offset;
  j["identifier"] = toc.identifier;
  j["version"] = toc.version;
  j["part"] = toc.part;
  j["crc"] = toc.crc;
  j["computed_crc"] = toc.computed_crc;
  j["crc_ok"] = toc.crc_ok();
  json entries = json::array();
  for (const auto& e : toc.entries)
    entries.push_back({{"identifier", e.identifier}, {"address", e.object_address}, {"size", e.object_length},
                       {"type", e.object_type}, {"cpu", e.cpu()}, {"flags", e.flag_names()}, {"version", e.version_text()}});
  j["entries"] = entries;
  if (board) {
    j["board"] = fit_raw_binary(*board, view.data(), view.source().file, "toc");
    // The package is written so that it ends where the TOC partition ends.
    if (const auto* p = board->partition_by_role("toc")) j["board"]["package_ends_at_partition_end"] = j["package_end"] == p->end;
  }
  return j;
}

json describe_openmv(const ByteView& view, const boards::Board* board, const boards::BoardDb& db) {
  const auto bytes = view.data();
  const std::string base = std::filesystem::path(view.source().file).filename().string();
  const bool named_combined = base.rfind("openmv", 0) == 0;
  if (bytes.size() < kBootHeaderOffset + 7)
    view.fail(bytes.size(), fmt::format("expected the OpenMV boot header at offset {}, but the file ends at offset {}",
                                        kBootHeaderOffset, bytes.size()));
  auto header = read_boot_header(bytes);
  if (!header)
    view.fail(kBootHeaderOffset, fmt::format("expected the boot header magic 0xB00710AD, found 0x{:08X}",
                                             load_le32(bytes.data() + kBootHeaderOffset)));
  json j;
  j["boot_header"] = {{"offset", kBootHeaderOffset}, {"magic", kBootMagic}, {"version", header->version()}};
  if (auto vt = vector_table(bytes)) j["bootloader_vectors"] = *vt;

  // The firmware offset: from the board, or from every board whose bootloader partition holds
  // the bootloader's reset vector and whose firmware partition holds the reset vector found at
  // that board's firmware offset.
  struct Candidate {
    std::string target;
    uint64_t offset;
    bool firmware_found;
  };
  std::vector<Candidate> candidates;
  if (board) {
    try {
      candidates.push_back({board->target, combined_layout(*board).firmware_offset, true});
    } catch (const Error&) {
    }
  } else if (auto vt = vector_table(bytes)) {
    const uint32_t reset = (*vt)["reset_vector"].get<uint32_t>() & ~1u;
    for (const auto& b : db.all()) {
      auto windows = partition_windows(b);
      const auto* w = window_at(windows, reset);
      if (!w || w->partition->role != "bootloader") continue;
      CombinedLayout layout;
      try {
        layout = combined_layout(b);
      } catch (const Error&) {
        continue;
      }
      bool found = false;
      if (bytes.size() > layout.firmware_offset)
        if (auto fv = vector_table(bytes.subspan(static_cast<size_t>(layout.firmware_offset)))) {
          const auto* fw = window_at(windows, (*fv)["reset_vector"].get<uint32_t>() & ~1u);
          found = fw && fw->partition == layout.firmware;
        }
      candidates.push_back({b.target, layout.firmware_offset, found});
    }
  }
  std::set<uint64_t> offsets;
  json boards = json::array();
  for (const auto& c : candidates)
    if (c.firmware_found) {
      offsets.insert(c.offset);
      boards.push_back(c.target);
    }
  std::optional<uint64_t> offset;
  if (offsets.size() == 1) offset = *offsets.begin();
  if (offset && bytes.size() > *offset) {
    j["kind"] = "combined";
    j["firmware_offset"] = *offset;
    auto boot = bytes.first(static_cast<size_t>(*offset));
    size_t used = boot.size();
    while (used > 0 && boot[used - 1] == 0xFF) --used;
    j["bootloader_size"] = used;
    j["padding"] = boot.size() - used;
    j["firmware_size"] = bytes.size() - *offset;
    if (auto vt = vector_table(bytes.subspan(static_cast<size_t>(*offset)))) j["firmware_vectors"] = *vt;
  } else if (offsets.size() > 1) {
    j["kind"] = "ambiguous";
    j["note"] = "boards disagree on the firmware offset; pass --board";
  } else {
    if (named_combined) {
      // Where the firmware should have been: every candidate offset past the end of the file.
      std::map<uint64_t, std::vector<std::string>> beyond;
      for (const auto& c : candidates)
        if (c.offset >= bytes.size()) beyond[c.offset].push_back(c.target);
      std::vector<std::string> where;
      for (const auto& [o, targets] : beyond) where.push_back(fmt::format("{} ({})", hex32(o), join(targets, ", ")));
      if (!where.empty())
        view.fail(bytes.size(), fmt::format("expected the firmware at offset {}, but the file ends at offset {}", join(where, " or "),
                                            bytes.size()));
    }
    j["kind"] = "bootloader";
    for (const auto& c : candidates) boards.push_back(c.target);
  }
  j["boards"] = boards;
  if (board) {
    json fit = {{"target", board->target}};
    try {
      auto layout = combined_layout(*board);
      const uint64_t fw = j.contains("firmware_size") ? j["firmware_size"].get<uint64_t>() : 0;
      const uint64_t boot = j.contains("bootloader_size") ? j["bootloader_size"].get<uint64_t>() : bytes.size();
      fit["partition"] = layout.bootloader->name;
      fit["bootloader_fits"] = boot <= layout.firmware_offset;
      fit["firmware_partition"] = layout.firmware->name;
      fit["firmware_fits"] = fw <= layout.firmware->size();
      fit["fits"] = fit["bootloader_fits"].get<bool>() && fit["firmware_fits"].get<bool>();
      fit["overflow"] = fw > layout.firmware->size() ? fw - layout.firmware->size() : 0;
    } catch (const Error& e) {
      fit["note"] = e.what();
    }
    j["board"] = fit;
  }
  return j;
}

}  // namespace

nlohmann::json describe_image(const std::filesystem::path& file, const boards::Board* board, const boards::BoardDb& db) {
  auto bytes = read_file(file);
  const std::string name = file.string();
  const Format format = detect_format(bytes, file);
  json j;
  switch (format) {
    case Format::elf: j = describe_elf(bytes, name, board); break;
    case Format::dfuse: j = describe_dfuse(ByteView(bytes, {name, "DfuSe"})); break;
    case Format::uf2: j = describe_uf2(ByteView(bytes, {name, "UF2"}), board); break;
    case Format::romfs:
      j = describe_romfs(ByteView(bytes, {name, "ROMFS"}));
      if (board) {
        // romfs1.img goes to the romfs1 partition; any other name to romfs0.
        const std::string base = file.filename().string();
        const bool numbered = base.size() == 10 && base.rfind("romfs", 0) == 0 && base.substr(6) == ".img";
        j["board"] = fit_raw_binary(*board, bytes, name, numbered ? "romfs" + base.substr(5, 1) : "romfs0");
      }
      break;
    case Format::ae3_toc: j = describe_toc(ByteView(bytes, {name, "AE3 TOC"}), board); break;
    case Format::openmv_bin: j = describe_openmv(ByteView(bytes, {name, "openmv.bin"}), board, db); break;
    case Format::dfu_suffix: {
      ByteView view(bytes, {name, "DFU suffix"});
      auto suffix = find_dfu_suffix(view);
      j["suffix"] = suffix_json(*suffix);
      j["payload_size"] = suffix->payload_size;
      auto payload = std::span<const uint8_t>(bytes).first(static_cast<size_t>(suffix->payload_size));
      if (auto vt = vector_table(payload)) j["vectors"] = *vt;
      if (board) j["board"] = fit_raw_binary(*board, payload, name);
      break;
    }
    case Format::bin:
      if (auto vt = vector_table(bytes)) j["vectors"] = *vt;
      if (board) j["board"] = fit_raw_binary(*board, bytes, name);
      break;
  }
  json out = {{"file", name}, {"size", bytes.size()}, {"format", format_name(format)}};
  if (format == Format::openmv_bin && j.value("kind", "") == "bootloader") out["format"] = "bootloader_bin";
  out.update(j);
  return out;
}

}  // namespace omv::image
