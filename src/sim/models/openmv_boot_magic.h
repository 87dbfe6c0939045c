#pragma once
// The word a running OpenMV camera leaves in RAM before it resets into its bootloader
// (0xB00710AD at OMV_BOOT_MAGIC_ADDR). It survives the reset, tells the bootloader it was
// "forced" (wait for DFU with no timeout) and is cleared by it. A virtual camera keeps it as a
// file in its state folder, since the application and bootloader models are separate objects.
#include <filesystem>

namespace omv::sim {

inline constexpr uint32_t kBootMagicValue = 0xB00710AD;

void set_boot_magic(const std::filesystem::path& state_dir);
// True when the magic was set; clears it, as the bootloader does.
bool take_boot_magic(const std::filesystem::path& state_dir);

}  // namespace omv::sim
