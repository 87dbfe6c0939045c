#pragma once
// The host side of ST's DFU phase protocol on one opened 0483:DF11 device: its alt settings
// mapped by phase id, GetPhase, one phase's download (blocks, zero-length DNLOAD, manifestation)
// and DETACH. It knows no boards and no files; flash/stm32_phase_recovery walks the phases.
#include <chrono>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "protocol/dfu/clock.h"
#include "protocol/dfu/dfu_interface.h"
#include "protocol/dfu/stm32_phases.h"
#include "transport/usb.h"

namespace omv::dfu::phases {

struct PhaseAlt {
  uint8_t alt = 0;
  AltName name;
  std::string text;  // the string as the device gave it
};

struct PhaseClientOptions {
  // wValue of the first DNLOAD block: TF-A and OpenBL ignore it, snagboot starts at 2 (DfuSe
  // habit); CubeProgrammer's choice is not documented.
  uint16_t first_block = 0;
  Millis block_budget{5000};     // one block: the device's erase + program + verify
  Millis manifest_budget{5000};
};

class PhaseClient {
 public:
  PhaseClient(transport::UsbDevice& device, Clock& clock, PhaseClientOptions options = {});

  const std::vector<PhaseAlt>& alts() const { return alts_; }
  const PhaseAlt* alt_for(uint8_t phase) const;
  uint16_t transfer_size() const { return dfu_->transfer_size(); }
  std::string label() const { return dfu_->label(); }

  // UPLOAD on the virtual alt; then back to dfuIDLE (OpenBL stays in dfuUPLOAD-IDLE after it).
  PhaseReply get_phase();
  // The bytes of one phase to the alt whose name carries that phase id, then the zero-length
  // DNLOAD and manifestation. `progress` gets the bytes sent so far.
  void download(uint8_t phase, std::span<const uint8_t> data, const std::function<void(uint64_t)>& progress);
  // DETACH; the device leaves the bus (a vanished device is what is expected).
  void detach();
  uint64_t polls() const { return dfu_->polls(); }

 private:
  void select(uint8_t alt);

  transport::UsbDevice& device_;
  PhaseClientOptions options_;
  std::vector<PhaseAlt> alts_;
  std::unique_ptr<DfuInterface> dfu_;
  int selected_ = -1;
};

}  // namespace omv::dfu::phases
