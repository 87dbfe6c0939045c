#pragma once
// The two device models behind the OpenMV N6's bootloader recovery: the STM32N6 boot ROM and ST's
// OpenBootloader it starts (ST's DFU phase protocol). The ROM is what an STM32 camera whose board
// data says loader.rom_protocol = stm32_dfu_phases answers in "rom" mode; the OpenBootloader is
// its "openbl" mode.
#include <memory>

#include "sim/model_registry.h"

namespace omv::sim {

std::unique_ptr<UsbDeviceModel> make_stm32_n6_rom(ModelContext& ctx);
std::unique_ptr<UsbDeviceModel> make_stm32_openbl(ModelContext& ctx);

}  // namespace omv::sim
