#pragma once
// The N6 recovery files for the end-to-end tests, made by the tests (ST's own are not
// redistributable): an OpenMV IDE-shaped firmware folder with FlashLayout.tsv, a v2.3 .stm32
// standing in for ST's OpenBootloader, an external-flash loader with its function table, and a
// bootloader.bin.
#include <filesystem>
#include <string>

#include "dfu_support.h"
#include "flash/stm32_phase_plan.h"
#include "image/stm32_header.h"
#include "image/stm32_test_images.h"

namespace omv::test {

inline std::string as_text(const std::vector<uint8_t>& b) { return std::string(b.begin(), b.end()); }

struct N6Files {
  TempDir ide;                       // an OpenMV IDE install folder (OMV_IDE_DIR)
  std::filesystem::path folder;      // .../share/qtcreator/firmware/OPENMV_N6
  std::string openbl, extfl, bootloader;

  explicit N6Files(size_t bootloader_bytes = 200 * 1024) {
    folder = ide.path() / "share" / "qtcreator" / "firmware" / "OPENMV_N6";
    std::filesystem::create_directories(folder);
    openbl = as_text(test_data::test_openbl_stm32());
    extfl = as_text(test_data::test_extfl_loader());
    auto payload = test_data::pattern(bootloader_bytes - 0x400, 0x77);
    bootloader = as_text(image::make_stm32_v23(payload, 0x34180401));
    write_file(folder / "OpenBootloader_STM32N6570-DK-trusted.stm32", openbl);
    write_file(folder / "MX66UW1G45G_STM32N6570-DK-OBL.bin", extfl);
    write_file(folder / "bootloader.bin", bootloader);
    write_layout(flash::openmv_n6_layout("OpenBootloader_STM32N6570-DK-trusted.stm32", "MX66UW1G45G_STM32N6570-DK-OBL.bin",
                                         "bootloader.bin"));
  }
  void write_layout(const std::string& text) const { write_file(layout(), text); }
  std::filesystem::path layout() const { return folder / "FlashLayout.tsv"; }
};

}  // namespace omv::test
