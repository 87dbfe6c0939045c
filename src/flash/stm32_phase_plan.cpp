#include "flash/stm32_phase_plan.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/numbers.h"
#include "image/file_io.h"
#include "protocol/dfu/stm32_phases.h"

namespace omv::flash {
namespace {

namespace ph = dfu::phases;

constexpr uint8_t kLoaderPhase = 0x03;  // OpenBL: the external-flash loader, not U-Boot's SSBL
constexpr size_t kBlobLimit = 1024;     // OpenBL parses each transfer on its own

uint64_t required(const boards::Board& board, const char* key) {
  auto v = board.loader_number(key);
  if (!v) fail(ErrorKind::bad_board_data, fmt::format("{}: loader.{} is missing from its board data", board.target, key));
  return *v;
}

std::vector<uint8_t> read_input(const std::filesystem::path& file, const std::string& what) {
  std::error_code ec;
  if (!std::filesystem::exists(file, ec))
    fail(ErrorKind::usage, fmt::format("{} {} does not exist", what, file.string()),
         "OpenMV IDE ships the N6 recovery files in its firmware folder (OPENMV_N6/); pass their paths");
  return image::read_file(file);
}

// ST's external-flash loader starts with its function table: Init, Write, SectorErase,
// MassErase, CheckSum, Verify, Read. OpenBL calls 0, 1, 2, 3, 5 and 6; 6 may be 0 (reads then
// go through the memory-mapped window).
void check_loader_table(const PhaseImage& img, const PhaseBoardParams& p) {
  const auto name = img.file.string();
  if (img.bytes.size() > p.loader_size)
    fail(ErrorKind::refused,
         fmt::format("{} is {} bytes; the external-flash loader RAM at {} holds {}; nothing was sent", name,
                     img.bytes.size(), hex32(p.loader_address), p.loader_size),
         "pass the N6 external-flash loader (MX66UW1G45G_STM32N6570-DK-OBL.bin from OpenMV IDE's OPENMV_N6 folder)");
  if (img.bytes.size() < 28)
    fail(ErrorKind::bad_file, fmt::format("{}: {} bytes, too short for a loader's function table (28 bytes)", name, img.bytes.size()));
  static const char* const kNames[] = {"Init", "Write", "SectorErase", "MassErase", "CheckSum", "Verify", "Read"};
  for (int word : {0, 1, 2, 3, 5, 6}) {
    const uint32_t v = image::load_le32(&img.bytes[static_cast<size_t>(word) * 4]);
    if (word == 6 && v == 0) continue;
    const uint32_t a = v & ~1u;
    if (a < p.loader_address || a >= p.loader_address + p.loader_size)
      fail(ErrorKind::bad_file,
           fmt::format("{}: offset {} ({}): {} points to {}, outside the loader RAM {}-{}: not an external-flash loader "
                       "for this board",
                       name, word * 4, hex32(static_cast<uint64_t>(word) * 4), kNames[word], hex32(v),
                       hex32(p.loader_address), hex32(p.loader_address + p.loader_size)),
           "pass the N6 external-flash loader (MX66UW1G45G_STM32N6570-DK-OBL.bin from OpenMV IDE's OPENMV_N6 folder)");
  }
}

void check_nor_line(const boards::Board& board, const PhasePlan& plan, const PhaseImage& img, const PhaseBoardParams& p,
                    std::vector<std::string>& warnings) {
  const auto& line = *plan.layout.line_for(img.phase);
  const auto name = img.file.string();
  const uint64_t end = img.target + img.bytes.size();
  if (img.bytes.empty()) fail(ErrorKind::bad_file, name + ": the file is empty");
  if (end > p.nor->size)
    fail(ErrorKind::refused,
         fmt::format("{}:{}: {} ({} bytes at offset {}) runs past the end of {} ({}); nothing was sent",
                     plan.layout.file.string(), line.line_number, name, img.bytes.size(), hex32(img.target), p.nor->name,
                     human_size(p.nor->size)));
  for (const auto& other : plan.layout.lines)
    if (other.selected() && other.ip == line.ip && other.offset && *other.offset > img.target && *other.offset < end)
      fail(ErrorKind::refused,
           fmt::format("{}:{}: {} ({} bytes at {}) runs into line {} (Id 0x{:02X} at {}); nothing was sent",
                       plan.layout.file.string(), line.line_number, name, img.bytes.size(), hex32(img.target),
                       other.line_number, other.id, hex32(*other.offset)));
  const boards::Partition* first = nullptr;
  for (const auto& part : board.partitions) {
    if (part.memory != p.nor->name || part.end <= img.target || part.start >= end) continue;
    if (!first) {
      first = &part;
    } else {
      fail(ErrorKind::refused,
           fmt::format("{} ({}) at {} would run from {} into {}; nothing was sent", name, human_size(img.bytes.size()),
                       hex32(img.target), first->name, part.name),
           part.role == "filesystem" ? "that would destroy the camera's filesystem: check the file and the Offset column"
                                     : "check the file and the Offset column");
    }
  }
  if (first && first->role == "bootloader") {
    image::ByteView view(img.bytes, {name, "STM32 image"});
    try {
      (void)image::parse_stm32_v23(view, first->size());
    } catch (const Error& e) {
      warnings.push_back(fmt::format("{} is not a valid v2.3 STM32 image ({}); the N6 boot ROM reads its first-stage "
                                     "bootloader from NOR offset 0 with that header, so the camera may not boot from it",
                                     name, e.what()));
    }
  }
}

}  // namespace

bool uses_phase_protocol(const boards::Board& board) { return board.rom_speaks_stm32_phases(); }

PhaseBoardParams phase_board_params(const boards::Board& board) {
  PhaseBoardParams p;
  p.device_id = static_cast<uint32_t>(required(board, "rom_device_id"));
  p.fsbl_limit = required(board, "rom_fsbl_limit");
  p.fsbl_address = static_cast<uint32_t>(required(board, "rom_fsbl_address"));
  p.layout_address = static_cast<uint32_t>(required(board, "openbl_layout_address"));
  p.loader_address = static_cast<uint32_t>(required(board, "openbl_loader_address"));
  p.loader_size = required(board, "openbl_loader_size");
  auto it = board.loader.find("openbl_memory");
  p.nor = it == board.loader.end() ? nullptr : board.memory(it->second);
  if (!p.nor)
    fail(ErrorKind::bad_board_data, fmt::format("{}: loader.openbl_memory names no memory of the board", board.target));
  return p;
}

const PhaseImage* PhasePlan::image_for(uint8_t phase) const {
  for (const auto& i : images)
    if (i.phase == phase) return &i;
  return nullptr;
}

nlohmann::json PhasePlan::to_json() const {
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& i : images) {
    nlohmann::json s = {{"phase", fmt::format("0x{:02X}", i.phase)}, {"role", i.role}, {"file", i.file.string()},
                        {"bytes", i.bytes.size()}, {"target", hex32(i.target)}};
    if (i.header) s["entry_point"] = hex32(i.header->entry_point);
    steps.push_back(std::move(s));
  }
  return {{"layout", layout.file.string()}, {"layout_blob_bytes", layout_blob.size()}, {"steps", steps},
          {"warnings", warnings}};
}

std::string openmv_n6_layout(const std::string& openbl, const std::string& extfl, const std::string& bootloader) {
  return fmt::format("#Opt\tId\tName\tType\tIP\tOffset\tBinary\n"
                     "P\t0x1\tfsbl-openbl\tBinary\tnone\t0x0\t{}\n"
                     "P\t0x3\tfsbl-extfl\tBinary\tnone\t0x0\t{}\n"
                     "P\t0x4\tfsbl-app\tBinary\tnor0\t0x0000000\t{}\n",
                     openbl, extfl, bootloader);
}

PhasePlan make_phase_plan(const boards::Board& board, const PhasePlanInputs& in) {
  const auto params = phase_board_params(board);
  image::FlashLayoutOptions lo;
  lo.ram_phases = {ph::kFsbl, kLoaderPhase};
  PhasePlan plan;
  if (!in.layout.empty()) {
    std::error_code ec;
    if (!std::filesystem::exists(in.layout, ec))
      fail(ErrorKind::usage, fmt::format("layout {} does not exist", in.layout.string()),
           "OpenMV IDE's firmware folder for the N6 (OPENMV_N6/) holds FlashLayout.tsv and its files");
    plan.layout = image::read_flash_layout(in.layout, lo);
  } else {
    if (in.openbl.empty() || in.extfl.empty())
      fail(ErrorKind::usage, "recovering the N6 needs ST's two helper files, or a FlashLayout.tsv naming them",
           "pass --layout OPENMV_N6/FlashLayout.tsv, or --openbl OpenBootloader_STM32N6570-DK-trusted.stm32 --extfl "
           "MX66UW1G45G_STM32N6570-DK-OBL.bin (both ship with OpenMV IDE's N6 firmware; omv does not redistribute them)");
    if (in.bootloader.empty()) fail(ErrorKind::usage, "no bootloader image given", "pass --bootloader bootloader.bin");
    auto abs = [](const std::filesystem::path& p) { return std::filesystem::absolute(p).string(); };
    plan.layout = image::parse_flash_layout(openmv_n6_layout(abs(in.openbl), abs(in.extfl), abs(in.bootloader)),
                                            "(layout from --openbl/--extfl/--bootloader)", lo);
  }
  const auto& layout = plan.layout;
  if (layout.lines.empty() || !layout.lines.front().selected() || layout.lines.front().id != ph::kFsbl)
    fail(ErrorKind::bad_file,
         fmt::format("{}: the first partition line must be the FSBL (Id 0x1, ST's OpenBootloader): the ROM loads it and "
                     "the OpenBootloader skips the layout's first line",
                     layout.file.string()));
  bool any_nor = false;
  for (const auto& line : layout.lines) {
    if (!line.selected() || line.empty_partition()) continue;
    PhaseImage img;
    img.phase = line.id;
    img.file = line.binary_path;
    if (line.ip == "none") {
      img.role = line.id == ph::kFsbl ? "fsbl" : "loader";
    } else if (line.ip.rfind("nor", 0) == 0) {
      img.role = "nor";
      any_nor = true;
    } else {
      fail(ErrorKind::refused,
           fmt::format("{}:{}: Id 0x{:02X} goes to {}; {}'s OpenBootloader writes only its external NOR ({})",
                       layout.file.string(), line.line_number, line.id, line.ip, board.target, params.nor->name));
    }
    if (img.role == "nor" && !in.bootloader.empty() && !in.layout.empty() && line.offset == 0u)
      img.file = in.bootloader;  // OpenMV IDE swaps in the chosen bootloader.bin the same way
    img.bytes = read_input(img.file, fmt::format("Id 0x{:02X} ({})", line.id, line.name) + "'s file");
    if (img.role == "fsbl") {
      image::ByteView view(img.bytes, {img.file.string(), "STM32 image"});
      img.header = image::parse_stm32_v23(view, params.fsbl_limit);
      img.target = params.fsbl_address;
    } else if (img.role == "loader") {
      img.target = params.loader_address;
      check_loader_table(img, params);
    } else {
      img.target = line.offset.value_or(0);
      check_nor_line(board, plan, img, params, plan.warnings);
    }
    plan.images.push_back(std::move(img));
  }
  if (!any_nor)
    fail(ErrorKind::bad_file, fmt::format("{}: no selected line writes the NOR (IP nor0): nothing would be restored",
                                          layout.file.string()));
  const std::string tsv = layout.normalised_tsv();
  plan.layout_blob = image::wrap_in_stm32_v1(std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(tsv.data()), tsv.size()));
  if (plan.layout_blob.size() > kBlobLimit)
    fail(ErrorKind::refused,
         fmt::format("{}: the layout is {} bytes with its 256-byte header; ST's OpenBootloader takes at most {} in one "
                     "transfer; nothing was sent",
                     layout.file.string(), plan.layout_blob.size(), kBlobLimit),
         "shorten the Name column or drop lines that are not selected");
  return plan;
}

}  // namespace omv::flash
