#pragma once
// Which device model a virtual camera runs, keyed by the board's bootloader type and the
// camera's mode. A model file registers its factory statically, so adding a model never means
// editing the host:
//
//   static const omv::sim::RegisterUsbModel reg{"openmv_dfu", "bootloader",
//       [](omv::sim::ModelContext& ctx) { return std::make_unique<MyModel>(ctx); }};
//   static const omv::sim::RegisterHidModel reg2{"nxp_sdp_blhost", "rom", make_sdp_model};
//
// (The omv binary links omvlib whole, so registrars in any src/ file are kept.)
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "boards/board.h"
#include "sim/faults.h"
#include "sim/flash_memory.h"
#include "sim/model.h"

namespace omv::sim {

// What a model gets from its host. References stay valid for the model's lifetime.
struct ModelContext {
  const boards::Board& board;
  std::string mode;                   // "bootloader", "rom", "flashloader", "app", ...
  std::string serial;                 // the USB serial number the camera reports
  std::filesystem::path state_dir;    // BUS/<serial>/ (for models that keep more state)
  MemoryBank& memories;               // the board's memories, file-backed
  FaultPlan& faults;                  // one-shot faults to commit (see sim/faults.h)
  double time_scale = 1;              // device runs this many times faster (0 = no delays)

  // A duration the model reports to the host (e.g. bwPollTimeout), scaled like the device.
  std::chrono::milliseconds scaled(std::chrono::nanoseconds device_time) const;
};

using UsbModelFactory = std::function<std::unique_ptr<UsbDeviceModel>(ModelContext&)>;
using HidModelFactory = std::function<std::unique_ptr<HidDeviceModel>(ModelContext&)>;

void register_usb_model(const std::string& bootloader_type, const std::string& mode, UsbModelFactory factory);
void register_hid_model(const std::string& bootloader_type, const std::string& mode, HidModelFactory factory);

const UsbModelFactory* find_usb_model(const std::string& bootloader_type, const std::string& mode);
const HidModelFactory* find_hid_model(const std::string& bootloader_type, const std::string& mode);
// Modes with a registered model for this bootloader type ("bootloader", "rom", ...).
std::vector<std::string> registered_modes(const std::string& bootloader_type);

struct RegisterUsbModel {
  RegisterUsbModel(const std::string& type, const std::string& mode, UsbModelFactory f) {
    register_usb_model(type, mode, std::move(f));
  }
};
struct RegisterHidModel {
  RegisterHidModel(const std::string& type, const std::string& mode, HidModelFactory f) {
    register_hid_model(type, mode, std::move(f));
  }
};

}  // namespace omv::sim
