// The Arduino DFU bootloader of the Portenta H7, Giga and Nicla Vision (2341:03xx), as a device
// model: address-based DfuSe, alt 0 internal flash (first 128 KiB sector, the bootloader,
// read-only), alt 1 the QSPI flash, wTransferSize from the board data.
#include "sim/models/dfuse_device.h"

namespace omv::sim {
namespace {

class ArduinoDfuseModel : public DfuseDeviceModel {
 public:
  explicit ArduinoDfuseModel(ModelContext& ctx) : DfuseDeviceModel(ctx, identity_for(ctx.board)) {}

 private:
  static DfuseIdentity identity_for(const boards::Board& b) {
    DfuseIdentity id;
    id.id = b.usb_id("bootloader").value_or(UsbId{0x2341, 0x035B});
    id.bcd_device = 0x0200;
    id.manufacturer = "Arduino";
    id.product = b.name + " DFU";
    id.transfer_size = static_cast<uint16_t>(b.dfu_transfer_size ? b.dfu_transfer_size : 4096);
    return id;
  }
};

const RegisterUsbModel arduino_dfuse_registration{"arduino_dfuse", "bootloader",
                                  [](ModelContext& ctx) { return std::make_unique<ArduinoDfuseModel>(ctx); }};

}  // namespace
}  // namespace omv::sim
