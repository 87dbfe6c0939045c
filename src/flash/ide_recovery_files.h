#pragma once
// The recovery helpers omv does not redistribute come with OpenMV IDE, in its firmware folder
// (share/qtcreator/firmware/<TARGET>/, openmv-ide.md §2): for the N6, FlashLayout.tsv with ST's
// OpenBootloader (.stm32) and external-flash loader (-OBL.bin) beside it. This finds that folder:
// $OMV_IDE_DIR (an OpenMV IDE install folder) first, then the usual install places.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace omv::flash {

// Folders looked in for <target>/FlashLayout.tsv, in order.
std::vector<std::filesystem::path> ide_firmware_dirs();
struct IdeRecoveryFiles {
  std::filesystem::path folder;  // .../firmware/OPENMV_N6
  std::filesystem::path layout;  // its FlashLayout.tsv
};
std::optional<IdeRecoveryFiles> find_ide_recovery_files(const std::string& target);

}  // namespace omv::flash
