#include "flash/ide_recovery_files.h"

#include <cstdlib>

namespace omv::flash {

namespace fs = std::filesystem;

std::vector<fs::path> ide_firmware_dirs() {
  std::vector<fs::path> dirs;
  auto add_install = [&](const fs::path& install) {
    dirs.push_back(install / "share" / "qtcreator" / "firmware");
    dirs.push_back(install / "Contents" / "Resources" / "firmware");  // the macOS app bundle
  };
  if (const char* env = std::getenv("OMV_IDE_DIR"); env && *env) add_install(env);
  if (const char* home = std::getenv("HOME"); home && *home) add_install(fs::path(home) / "openmvide");
  add_install("/opt/openmvide");
  add_install("/Applications/OpenMV IDE.app");
  return dirs;
}

std::optional<IdeRecoveryFiles> find_ide_recovery_files(const std::string& target) {
  std::error_code ec;
  for (const auto& dir : ide_firmware_dirs()) {
    fs::path layout = dir / target / "FlashLayout.tsv";
    if (fs::is_regular_file(layout, ec)) return IdeRecoveryFiles{dir / target, layout};
  }
  return std::nullopt;
}

}  // namespace omv::flash
