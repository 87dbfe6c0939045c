#include "sim/models/stm32_phase_device.h"

#include <fmt/format.h>

namespace omv::sim {

std::string phase_product(const std::string& prefix, uint32_t device_id, uint32_t revision_id) {
  return fmt::format("{}@Device ID /0x{:03X}, @Revision ID /0x{:04X}", prefix, device_id, revision_id);
}

Stm32PhaseDeviceModel::Stm32PhaseDeviceModel(ModelContext& ctx, const std::string& product,
                                             const std::vector<dfu::phases::AltName>& alts)
    : DfuDeviceModel(ctx) {
  const auto& b = ctx.board;
  device_id_ = static_cast<uint32_t>(b.loader_number("rom_device_id").value_or(0));
  id_.id = b.usb_id(ctx.mode).value_or(b.usb_id("rom").value_or(UsbId{0x0483, 0xDF11}));
  id_.bcd_device = 0x0200;
  id_.manufacturer = "STMicroelectronics";
  id_.product = product;
  id_.serial = ctx.serial;
  id_.generation = 1;
  dfu::FunctionalDescriptor fd;
  fd.attributes = 0x0F;
  fd.detach_timeout_ms = 255;
  fd.transfer_size = kPhaseTransferSize;
  fd.dfu_version = 0x0110;
  for (size_t i = 0; i < alts.size(); ++i) {
    transport::UsbInterfaceInfo itf;
    itf.number = 0;
    itf.alt = static_cast<uint8_t>(i);
    itf.cls = dfu::kDfuClass;
    itf.subclass = dfu::kDfuSubclass;
    itf.protocol = dfu::kDfuModeProtocol;
    itf.name = dfu::phases::format_alt_name(alts[i]);
    itf.extra = fd.encode();
    id_.interfaces.push_back(std::move(itf));
    alt_phases_.push_back(alts[i].phase);
  }
}

uint8_t Stm32PhaseDeviceModel::selected_phase() const {
  return alt() < alt_phases_.size() ? alt_phases_[alt()] : dfu::phases::kEnd;
}

}  // namespace omv::sim
