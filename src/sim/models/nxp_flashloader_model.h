#pragma once
// The RT1062 as the MCU bootloader answers it on 15A2:0073, in two modes:
//  - "flashloader": the RAM flashloader the ROM started; FlexSPI starts unconfigured, and it
//    stays until reset.
//  - "sbl": the secure bootloader in external flash, after a reset of a fused camera. It holds
//    the USB device for a short window (the board's sbl_window_ms) and then starts the
//    firmware, unless a host talked to it within the window (then it stays) or there is no
//    firmware to start. Starting the firmware hands the camera over to mode "app" (the running
//    camera's serial port).
// After `reset` the camera boots as the chip would: the secure bootloader when the boot fuse
// is burned and the flash holds an FCB and a bootloader, the serial-download ROM otherwise.
#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "sim/model.h"
#include "sim/model_registry.h"
#include "sim/models/nxp_fuse_bank.h"
#include "sim/models/nxp_mboot_target.h"
#include "sim/models/nxp_ram.h"

namespace omv::sim {

// The virtual RT1062's own settings, from BUS/<serial>/rt1062.json when present (tests use it
// to shorten the secure bootloader's window).
struct NxpSimSettings {
  std::optional<uint64_t> sbl_window_ms;  // device time; overrides the board's sbl_window_ms
  static NxpSimSettings load(const std::filesystem::path& state_dir);
};

// The mode the chip comes up in after a reset, from its fuses and flash contents.
std::string nxp_boot_mode(const boards::Board& board, FlashMemory& flash, const NxpFuseBank& fuses);
// The external flash the flashloader works on: the memory of the board's firmware partition.
FlashMemory& nxp_flash(ModelContext& ctx);

class NxpFlashloaderModel final : public HidDeviceModel {
 public:
  NxpFlashloaderModel(ModelContext& ctx, bool secure_bootloader);

  std::optional<transport::HidDeviceInfo> identity() const override;
  void write(std::span<const uint8_t> report) override;
  std::optional<std::vector<uint8_t>> read(transport::Millis timeout) override;
  nlohmann::json stats() const override;
  std::optional<std::string> take_mode_change() override;
  // The secure bootloader's own timer: when its window closes, it starts the firmware.
  std::optional<std::chrono::steady_clock::time_point> next_tick() const override;
  void tick() override;

  // The secure bootloader's window, in real (scaled) time.
  std::chrono::milliseconds window() const { return window_; }

 private:
  bool window_over() const;

  ModelContext& ctx_;
  bool sbl_;
  FlashMemory& flash_;
  NxpRam ram_;
  NxpFuseBank fuses_;
  NxpMbootTarget target_;
  std::chrono::steady_clock::time_point started_;
  std::chrono::milliseconds window_{0};
  bool claimed_ = false;       // a host spoke within the window
  bool has_firmware_ = false;  // something for the secure bootloader to start
  mutable bool left_ = false;  // the secure bootloader started the firmware
  bool mode_change_taken_ = false;
  uint64_t ignored_reports_ = 0;
};

}  // namespace omv::sim
