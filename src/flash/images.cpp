#include "flash/images.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "core/numbers.h"
#include "core/text.h"
#include "image/board_fit.h"
#include "image/load.h"
#include "image/uf2.h"

namespace omv::flash {
namespace {

uint64_t address_for(const boards::Board& board, const boards::Partition& part) {
  for (const auto& f : board.files)
    if (iequals(f.partition, part.name) && f.address) return *f.address;
  return part.start;
}

const boards::Partition& by_role(const boards::Board& board, const std::string& role, const char* option) {
  if (const auto* p = board.partition_by_role(role)) return *p;
  fail(ErrorKind::usage, fmt::format("{} has no {} partition for {}", board.target, role, option));
}

}  // namespace

Image load_image_for(const boards::Board& board, const boards::Partition& part, uint64_t address,
                     const std::filesystem::path& file) {
  if (!std::filesystem::exists(file)) fail(ErrorKind::io, "cannot read " + file.string() + ": no such file");
  image::LoadOptions lo;
  lo.base = address;
  // A UF2 carries blocks per chip family: only the board's own family is flashed.
  if (auto family = board.loader_number("uf2_family")) lo.uf2_family = static_cast<uint32_t>(*family);
  auto loaded = image::load_image(file, lo);
  Image img;
  img.label = file.filename().string();
  img.file = file;
  img.file_format = loaded.format;
  img.partition = &part;
  if (loaded.segments.empty() && loaded.format == image::Format::uf2 && lo.uf2_family)
    fail(ErrorKind::bad_file,
         fmt::format("{}: no UF2 blocks for family {} ({}), the chip of {}; nothing was written", file.string(),
                     image::uf2_family_name(*lo.uf2_family), hex32(*lo.uf2_family), board.target),
         "the file was built for another chip; 'omv image info " + file.string() + "' lists its families");
  if (loaded.segments.empty()) fail(ErrorKind::bad_file, file.string() + ": no data to flash");
  if (!loaded.addresses_known || (loaded.segments.size() == 1 && loaded.segments.front().address == address)) {
    uint64_t span = 0;
    for (const auto& s : loaded.segments) span = std::max(span, s.end() - loaded.segments.front().address);
    if (span > part.size())
      fail(ErrorKind::refused,
           fmt::format("{}: {} does not fit partition {} of {} ({} at {}); nothing was written", file.string(),
                       human_size(span), part.name, board.target, human_size(part.size()), hex32(part.start)),
           "check that the file was built for " + board.target);
    auto flat = image::flatten(loaded.segments, 0xFF, part.size());
    img.address = address;
    img.data = std::move(flat.bytes);
    return img;
  }
  // Addressed data (ELF...): every piece must land in this partition, directly or via its XIP window.
  auto windows = image::partition_windows(board);
  std::vector<image::Segment> placed;
  for (auto& s : loaded.segments) {
    if (s.data.empty()) continue;
    const auto* w = image::window_at(windows, s.address);
    if (!w || w->partition != &part || s.end() > w->end)
      fail(ErrorKind::refused,
           fmt::format("{}: data at {} ({}) is not in partition {} of {}; nothing was written", file.string(),
                       hex32(s.address), human_size(s.data.size()), part.name, board.target),
           w ? "it belongs to " + w->partition->name : "check the TARGET");
    s.address = part.start + (s.address - w->start);
    placed.push_back(std::move(s));
  }
  auto flat = image::flatten(placed, 0xFF, part.size());
  img.address = flat.base;
  img.data = std::move(flat.bytes);
  return img;
}

std::vector<Image> collect_images(const boards::Board& board, const ImageOptions& o, Reporter& reporter) {
  std::vector<Image> out;
  if (!o.firmware.empty()) {
    const auto& p = by_role(board, "firmware", "--firmware");
    out.push_back(load_image_for(board, p, address_for(board, p), o.firmware));
  }
  if (!o.romfs.empty()) {
    const auto& p = by_role(board, "romfs0", "--romfs");
    out.push_back(load_image_for(board, p, address_for(board, p), o.romfs));
  }
  for (const auto& spec : o.images) {
    auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
      fail(ErrorKind::usage, "--image " + spec + ": expected PARTITION=FILE", "e.g. --image ROMFS0=romfs0.img");
    std::string name = spec.substr(0, eq);
    const auto* p = board.partition(name);
    if (!p) {
      std::vector<std::string> names;
      for (const auto& q : board.partitions) names.push_back(q.name);
      fail(ErrorKind::usage, fmt::format("{} has no partition {}", board.target, name), "partitions: " + join(names, ", "));
    }
    out.push_back(load_image_for(board, *p, address_for(board, *p), spec.substr(eq + 1)));
  }
  if (o.firmware.empty() && o.romfs.empty() && o.images.empty()) {
    if (o.bin_dir.empty())
      fail(ErrorKind::usage, "no image given and no firmware checkout to take build/" + board.target + "/bin from",
           "pass --firmware FILE, or run inside a checkout (or --repo DIR / --build-dir DIR)");
    std::vector<std::string> missing;
    for (const auto& f : board.files) {
      if (!f.flash_by_default) continue;
      const auto* p = board.partition(f.partition);
      if (!p) fail(ErrorKind::bad_board_data, board.target + ": build file " + f.file + " names unknown partition " + f.partition);
      auto path = o.bin_dir / f.file;
      if (!std::filesystem::exists(path)) {
        missing.push_back(f.file);
        continue;
      }
      out.push_back(load_image_for(board, *p, f.address.value_or(p->start), path));
    }
    if (out.empty())
      fail(ErrorKind::io, "no build files of " + board.target + " in " + o.bin_dir.string() + " (" + join(missing, ", ") + ")",
           "build first: omv build " + board.target);
    for (const auto& m : missing) reporter.warn(m + " is not in " + o.bin_dir.string() + ": not flashed");
  }
  if (o.erase_fs)
    for (auto& img : erase_fs_images(board)) out.push_back(std::move(img));
  return out;
}

std::vector<Image> erase_fs_images(const boards::Board& board) {
  const auto& e = board.erase_fs;
  if (e.method == "none" || e.partitions.empty())
    fail(ErrorKind::unsupported, board.target + " has no filesystem erase in its board data" +
                                     (e.note.empty() ? std::string() : ": " + e.note));
  std::vector<Image> out;
  for (const auto& name : e.partitions) {
    const auto* p = board.partition(name);
    if (!p) fail(ErrorKind::bad_board_data, board.target + ": erase_fs names unknown partition " + name);
    Image img;
    img.label = "erase-fs " + p->name;
    img.partition = p;
    img.address = p->start;
    uint64_t bytes = std::min<uint64_t>(e.bytes ? e.bytes : 4096, p->size());
    if (e.method == "flash_erase_region") {
      img.erase_only = true;
      img.erase_length = bytes;
    } else if (e.method == "dfu_zero_block" || e.method == "address_zero_block") {
      img.data.assign(bytes, 0);
    } else {
      fail(ErrorKind::bad_board_data, board.target + ": unknown erase_fs method " + e.method);
    }
    out.push_back(std::move(img));
  }
  return out;
}

}  // namespace omv::flash
