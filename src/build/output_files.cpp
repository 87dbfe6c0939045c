#include "build/output_files.h"

#include <fmt/format.h>

#include <algorithm>

namespace omv::build {
namespace fs = std::filesystem;

std::string purpose_of(const std::string& file, const boards::Board* board) {
  if (board)
    if (const auto* f = board->build_file(file)) return f->purpose;
  const std::string ext = fs::path(file).extension().string();
  const std::string stem = fs::path(file).stem().string();
  if (file == "openmv.bin") return "bootloader + firmware in one image, written at the start of flash";
  if (file == "romfs.stamp") return "marks the ROM filesystem images as up to date";
  if (file == "firmware.toc") return "table of contents for the boot ROM (firmware_pad.toc is the flashable one)";
  if (ext == ".elf") return stem + " with debug symbols: for the debugger and 'omv size'";
  if (ext == ".hex") return stem + " as Intel HEX";
  if (ext == ".uf2") return stem + " as UF2, for the RP2040 boot drive";
  if (ext == ".dfu") return stem + " as a DfuSe image";
  if (ext == ".map") return "linker map";
  if (ext == ".img") return "ROM filesystem image";
  if (ext == ".bin") return stem + " as a raw binary";
  return "";
}

std::vector<OutputFile> list_outputs(const fs::path& bin_dir, const boards::Board* board) {
  std::vector<OutputFile> out;
  std::error_code ec;
  for (fs::directory_iterator it(bin_dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const auto name = it->path().filename().string();
    out.push_back({name, it->file_size(ec), purpose_of(name, board)});
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

fs::path bin_dir_of(const fs::path& root, const std::string& target) {
  fs::path per_target = root / "build" / target / "bin";
  std::error_code ec;
  if (fs::is_directory(per_target, ec)) return per_target;
  if (fs::is_directory(root / "build" / "bin", ec)) return root / "build" / "bin";
  return per_target;
}

}  // namespace omv::build
