#include "sim/models/openmv_boot_magic.h"

#include <fmt/format.h>

#include <fstream>
#include <string>

namespace omv::sim {
namespace {

std::filesystem::path magic_path(const std::filesystem::path& dir) { return dir / "boot_magic"; }

}  // namespace

void set_boot_magic(const std::filesystem::path& state_dir) {
  std::ofstream(magic_path(state_dir), std::ios::trunc) << fmt::format("0x{:08X}\n", kBootMagicValue);
}

bool take_boot_magic(const std::filesystem::path& state_dir) {
  std::ifstream in(magic_path(state_dir));
  std::string word;
  if (!(in >> word)) return false;
  in.close();
  std::error_code ec;
  std::filesystem::remove(magic_path(state_dir), ec);
  return word == fmt::format("0x{:08X}", kBootMagicValue);
}

}  // namespace omv::sim
