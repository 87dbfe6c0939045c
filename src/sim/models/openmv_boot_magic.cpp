#include "sim/models/openmv_boot_magic.h"

#include <fmt/format.h>

#include <chrono>
#include <fstream>

namespace omv::sim {
namespace {

std::filesystem::path entry_path(const std::filesystem::path& dir) { return dir / "boot_entry"; }

}  // namespace

void record_boot_entry(const std::filesystem::path& state_dir, BootEntry entry) {
  std::ofstream out(entry_path(state_dir), std::ios::trunc);
  if (entry == BootEntry::forced) out << fmt::format("0x{:08X}\n", kBootMagicValue);
  else if (entry == BootEntry::plain_reset) out << "plain-reset\n";
}

BootEntry take_boot_entry(const std::filesystem::path& state_dir) {
  std::ifstream in(entry_path(state_dir));
  std::string word;
  if (!(in >> word)) return BootEntry::held;
  in.close();
  std::error_code ec;
  std::filesystem::remove(entry_path(state_dir), ec);
  if (word == fmt::format("0x{:08X}", kBootMagicValue)) return BootEntry::forced;
  if (word == "plain-reset") return BootEntry::plain_reset;
  return BootEntry::held;
}

void note_timeline(const std::filesystem::path& state_dir, const std::string& what) {
  const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(
                      std::chrono::system_clock::now().time_since_epoch())
                      .count();
  std::ofstream(state_dir / "timeline.log", std::ios::app) << ns << ' ' << what << '\n';
}

}  // namespace omv::sim
