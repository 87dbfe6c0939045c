// The ST system bootloader (0483:DF11) of the STM32 cameras, as a device model: what a camera
// with its BOOT-RST jumper set answers (`omv sim start TARGET --mode rom`), over the same memory
// files as its OpenMV bootloader. DfuSe with wTransferSize 2048, erase/program times reported
// as bwPollTimeout. Boards whose data names `rom_dnbusy_stuck_from` reproduce the STM32H743
// rev V ROM bug: after erasing a page at or above that address the ROM stays in dfuDNBUSY
// until a host clears it with CLRSTATUS twice.
#include "sim/models/dfuse_device.h"
#include "sim/models/stm32_n6_models.h"

namespace omv::sim {
namespace {

class StRomDfuseModel : public DfuseDeviceModel {
 public:
  explicit StRomDfuseModel(ModelContext& ctx) : DfuseDeviceModel(ctx, identity_for(ctx.board)) {
    stuck_from_ = ctx.board.loader_number("rom_dnbusy_stuck_from");
  }

 protected:
  bool stays_busy_after_erase(uint64_t page) const override { return stuck_from_ && page >= *stuck_from_; }

 private:
  static DfuseIdentity identity_for(const boards::Board& b) {
    DfuseIdentity id;
    id.id = b.usb_id("rom").value_or(UsbId{0x0483, 0xDF11});
    id.bcd_device = 0x2200;
    id.manufacturer = "STMicroelectronics";
    id.product = "DFU in FS Mode";
    id.transfer_size = 2048;
    return id;
  }
  std::optional<uint64_t> stuck_from_;
};

std::unique_ptr<UsbDeviceModel> make(ModelContext& ctx) {
  if (ctx.board.rom_speaks_stm32_phases()) return make_stm32_n6_rom(ctx);
  return std::make_unique<StRomDfuseModel>(ctx);
}

// Any STM32 camera's ROM (the N6's speaks ST's phase protocol instead); boards whose own loader is the ST ROM answer with it in bootloader mode too.
const RegisterUsbModel rom_of_openmv{"openmv_dfu", "rom", make};
const RegisterUsbModel rom_of_st{"st_rom_dfuse", "rom", make};
const RegisterUsbModel boot_of_st{"st_rom_dfuse", "bootloader", make};

}  // namespace
}  // namespace omv::sim
