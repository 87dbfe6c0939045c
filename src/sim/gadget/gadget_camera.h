#pragma once
// A whole virtual camera as one USB device model, for the gadget host: the board's memories in
// a state folder (the same <memory>.bin files as a camera on the sim bus), the registered model
// of the current mode, and what the sim-bus host does around a model — switching models when
// one hands over to another mode (re-enumeration), committing the one-shot faults, and staying
// unresponsive while the flash erases or programs (scaled). The bootloader behaviour itself is
// entirely the registered model's.
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "boards/board.h"
#include "sim/faults.h"
#include "sim/flash_memory.h"
#include "sim/model.h"
#include "sim/model_registry.h"

namespace omv::sim::gadget {

struct CameraOptions {
  std::string mode = "bootloader";
  std::string serial;                // USB serial number the camera reports
  std::filesystem::path state_dir;   // memory files live here
  double time_scale = 1;             // 0 = no device delays
  std::vector<std::string> faults;   // "KIND@BYTES", as for `omv sim start --fault`
};

class GadgetCamera : public UsbDeviceModel {
 public:
  GadgetCamera(const boards::Board& board, CameraOptions options);
  ~GadgetCamera() override;

  // The current model's identity; generation counts this camera's enumerations.
  std::optional<transport::UsbDeviceInfo> identity() const override;
  Reply control(const SetupPacket& setup, std::span<const uint8_t> out_data) override;
  void set_alt_setting(uint8_t interface, uint8_t alt) override;
  void bus_reset() override;
  nlohmann::json stats() const override;

  const std::string& mode() const { return mode_; }
  // True once after a request the camera lost by dropping off the bus in the middle of it (the
  // disconnect fault): such a request gets no answer, its transfer ends with the device gone.
  bool take_lost_request();

 private:
  void build_model(const std::string& mode);
  void after_request();

  boards::Board board_;
  CameraOptions options_;
  std::unique_ptr<MemoryBank> memories_;
  FaultPlan faults_;
  std::unique_ptr<ModelContext> context_;
  std::unique_ptr<UsbDeviceModel> model_;
  std::string mode_;
  uint64_t generation_ = 1;
  uint64_t model_generation_ = 0;
  bool model_present_ = false;
  bool request_lost_ = false;
  uint64_t reenumerations_ = 0;
  std::chrono::steady_clock::time_point free_at_{};
};

}  // namespace omv::sim::gadget
