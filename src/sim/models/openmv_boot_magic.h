#pragma once
// How the OpenMV bootloader was entered, kept across the reset in the camera's state folder
// (the application and bootloader models are separate objects; on the camera it is a RAM word):
//
// - forced: the firmware left the magic 0xB00710AD at OMV_BOOT_MAGIC_ADDR (SYS_BOOT, USB-debug
//   0x0E, machine.bootloader()): the bootloader waits for DFU with no timeout.
// - plain_reset: a reset without the magic: the bootloader leaves for the firmware after its
//   1.5 s DFU window unless a download or upload starts.
// - held: nothing recorded — a virtual camera started in bootloader mode, as if held there
//   on a test bench; it waits like a forced one.
#include <cstdint>
#include <filesystem>
#include <string>

namespace omv::sim {

inline constexpr uint32_t kBootMagicValue = 0xB00710AD;

enum class BootEntry { held, forced, plain_reset };

void record_boot_entry(const std::filesystem::path& state_dir, BootEntry entry);
// What was recorded; clears it, as the bootloader clears the magic.
BootEntry take_boot_entry(const std::filesystem::path& state_dir);

// Appends "<unix time ns> <what>" to BUS/<serial>/timeline.log: when a camera did what, across
// its processes and modes (benchmarks read it).
void note_timeline(const std::filesystem::path& state_dir, const std::string& what);

}  // namespace omv::sim
