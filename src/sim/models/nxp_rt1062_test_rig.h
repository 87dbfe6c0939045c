#pragma once
// A virtual RT1062 served in-process for unit tests: the registered models of each mode, swapped
// on mode changes like the sim host does, behind a transport::HidDevice for the host engines.
#include <filesystem>
#include <memory>
#include <random>
#include <string>

#include "boards/board_db.h"
#include "core/error.h"
#include "sim/model_registry.h"
#include "sim/models/nxp_flashloader_model.h"
#include "sim/models/nxp_rom_model.h"

namespace omv::sim::testing {

// The camera running its firmware: not a HID device (its serial port is another model).
class RunningFirmware : public HidDeviceModel {
 public:
  std::optional<transport::HidDeviceInfo> identity() const override { return std::nullopt; }
  void write(std::span<const uint8_t>) override {}
  std::optional<std::vector<uint8_t>> read(transport::Millis) override { return std::nullopt; }
  nlohmann::json stats() const override { return nlohmann::json::object(); }
};

class Rt1062Rig {
 public:
  explicit Rt1062Rig(const std::string& mode = "rom")
      : board_(boards::BoardDb::built_in().get("OPENMV_RT1060")),
        dir_(std::filesystem::temp_directory_path() / ("omv-rt1062-" + std::to_string(std::random_device{}()))) {
    std::filesystem::create_directories(dir_);
    bank_ = std::make_unique<MemoryBank>(board_, dir_);
    boot(mode);
  }
  ~Rt1062Rig() {
    model_.reset();
    bank_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  void boot(const std::string& mode) {
    model_.reset();
    ctx_ = std::make_unique<ModelContext>(ModelContext{board_, mode, "RIG0001", dir_, *bank_, faults_, 0});
    if (mode == "rom") model_ = std::make_unique<NxpRomModel>(*ctx_);
    else if (mode == "flashloader" || mode == "sbl") model_ = std::make_unique<NxpFlashloaderModel>(*ctx_, mode == "sbl");
    else if (mode == "app") model_ = std::make_unique<RunningFirmware>();
    else fail(ErrorKind::unsupported, "no model for mode " + mode);
    // The registry names the same models for the sim host.
    if (mode != "app" && !find_hid_model("nxp_sdp_blhost", mode)) fail(ErrorKind::unsupported, "mode " + mode + " is not registered");
    mode_ = mode;
    ++generation_;
  }
  void after_request() {
    if (auto next = model_->take_mode_change()) boot(*next);
  }

  HidDeviceModel& model() { return *model_; }
  const std::string& mode() const { return mode_; }
  uint64_t generation() const { return generation_; }
  FlashMemory& flash() { return *bank_->find("flexspi"); }
  FaultPlan& faults() { return faults_; }
  const std::filesystem::path& dir() const { return dir_; }
  const boards::Board& board() const { return board_; }

 private:
  boards::Board board_;
  std::filesystem::path dir_;
  std::unique_ptr<MemoryBank> bank_;
  FaultPlan faults_;
  std::unique_ptr<ModelContext> ctx_;
  std::unique_ptr<HidDeviceModel> model_;
  std::string mode_;
  uint64_t generation_ = 0;
};

// The rig's current device, as a host would hold it: stale after the device re-enumerates.
class RigHid : public transport::HidDevice {
 public:
  explicit RigHid(Rt1062Rig& rig) : rig_(rig), generation_(rig.generation()) {
    if (auto id = rig.model().identity()) info_ = *id;
    else fail(ErrorKind::no_device, "no device");
  }
  const transport::HidDeviceInfo& info() const override { return info_; }
  void write(std::span<const uint8_t> report) override {
    check();
    rig_.faults().count_out_bytes(report.size());
    rig_.model().write(report);
    rig_.after_request();
  }
  size_t read(std::span<uint8_t> report, transport::Millis timeout) override {
    check();
    auto r = rig_.model().read(timeout);
    rig_.after_request();
    if (!r) return 0;
    size_t n = std::min(r->size(), report.size());
    std::copy_n(r->begin(), n, report.begin());
    return n;
  }

 private:
  void check() {
    if (rig_.generation() != generation_ || !rig_.model().identity()) fail(ErrorKind::no_device, "the device left the bus");
  }
  Rt1062Rig& rig_;
  uint64_t generation_;
  transport::HidDeviceInfo info_;
};

// The rig as a HID bus with at most one device on it.
class RigBus : public transport::HidBus {
 public:
  explicit RigBus(Rt1062Rig& rig) : rig_(rig) {}
  std::vector<transport::HidDeviceInfo> enumerate() override {
    auto id = rig_.model().identity();
    if (!id) return {};
    id->path = "rig#" + std::to_string(rig_.generation());
    return {*id};
  }
  std::unique_ptr<transport::HidDevice> open(const transport::HidDeviceInfo&) override {
    ++opens;
    return std::make_unique<RigHid>(rig_);
  }
  std::optional<transport::HidDeviceInfo> wait_for(const std::function<bool(const transport::HidDeviceInfo&)>& match,
                                                   transport::Millis) override {
    for (auto& d : enumerate())
      if (match(d)) return d;
    return std::nullopt;
  }
  int opens = 0;

 private:
  Rt1062Rig& rig_;
};

// A flashloader image as the ROM wants it: an IVT at its load address whose entry point lies
// inside the image (or, with entry_outside, somewhere nothing was loaded).
inline std::vector<uint8_t> flashloader_image(uint32_t load_address, size_t size, bool entry_outside = false) {
  std::vector<uint8_t> img(size, 0);
  auto put = [&](size_t at, uint32_t v) {
    for (size_t i = 0; i < 4; ++i) img[at + i] = static_cast<uint8_t>(v >> (8 * i));
  };
  img[0] = 0xD1;
  img[1] = 0x00;
  img[2] = 0x20;
  img[3] = 0x41;
  put(4, entry_outside ? 0x00200000u : load_address + 0x400);
  put(20, load_address);
  for (size_t i = 32; i < size; ++i) img[i] = static_cast<uint8_t>(i * 7);
  return img;
}

}  // namespace omv::sim::testing
