#pragma once
// What the STM32N6 boot ROM and ST's OpenBootloader share as USB devices (ST's DFU phase
// protocol; facts in ../shared/reference/stm32-dfu-phases.md §1, §4): 0483:DF11, one DFU
// interface whose alt settings are named "@<name> /0x<phase>/…", a functional descriptor with
// bmAttributes 0x0F (download, upload, manifestation tolerant, will detach), detach timeout
// 255 ms and wTransferSize 1024, the stage in the product string, and the camera's serial.
// GetPhase is an UPLOAD on the alt named 0xF1; each stage answers it in its own way.
#include <string>
#include <vector>

#include "protocol/dfu/stm32_phases.h"
#include "sim/models/dfu_device.h"

namespace omv::sim {

constexpr uint16_t kPhaseTransferSize = 1024;

class Stm32PhaseDeviceModel : public DfuDeviceModel {
 public:
  Stm32PhaseDeviceModel(ModelContext& ctx, const std::string& product, const std::vector<dfu::phases::AltName>& alts);
  std::optional<transport::UsbDeviceInfo> identity() const override { return id_; }

 protected:
  // The phase id in the name of the selected alt setting.
  uint8_t selected_phase() const;
  uint32_t device_id() const { return device_id_; }

  uint32_t poll_timeout(uint16_t, std::span<const uint8_t>) override { return 0; }
  bool end_of_download() override { return true; }  // a zero-length DNLOAD in dfuIDLE ends a phase
  bool manifestation_tolerant() const override { return true; }

 private:
  transport::UsbDeviceInfo id_;
  std::vector<uint8_t> alt_phases_;
  uint32_t device_id_ = 0;
};

// The stage name in the product string: "<prefix>@Device ID /0x486, @Revision ID /0x0100".
std::string phase_product(const std::string& prefix, uint32_t device_id, uint32_t revision_id);

}  // namespace omv::sim
