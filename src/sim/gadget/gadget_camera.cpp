#include "sim/gadget/gadget_camera.h"

#include <fmt/format.h>

#include <thread>
#include <utility>

#include "core/error.h"
#include "core/text.h"

namespace omv::sim::gadget {

GadgetCamera::GadgetCamera(const boards::Board& board, CameraOptions options)
    : board_(board), options_(std::move(options)) {
  if (options_.time_scale < 0) fail(ErrorKind::usage, "--time-scale must be 0 (no delays) or positive");
  std::filesystem::create_directories(options_.state_dir);
  memories_ = std::make_unique<MemoryBank>(board_, options_.state_dir);
  for (const auto& f : options_.faults) faults_.arm(f);
  build_model(options_.mode);
}

GadgetCamera::~GadgetCamera() = default;

void GadgetCamera::build_model(const std::string& mode) {
  const std::string type = boards::to_string(board_.bootloader_type);
  const auto* factory = find_usb_model(type, mode);
  if (!factory) {
    if (find_hid_model(type, mode))
      fail(ErrorKind::unsupported,
           fmt::format("{} in {} mode is a HID device; the gadget host serves control-only USB devices", board_.target,
                       mode));
    const auto modes = registered_modes(type);
    fail(ErrorKind::unsupported, fmt::format("no virtual camera model for {} ({}) in {} mode", board_.target, type, mode),
         modes.empty() ? "no mode of this bootloader type is simulated yet" : "simulated modes: " + join(modes, ", "));
  }
  model_.reset();
  context_ = std::make_unique<ModelContext>(ModelContext{board_, mode, options_.serial, options_.state_dir,
                                                         *memories_, faults_, options_.time_scale});
  model_ = (*factory)(*context_);
  mode_ = mode;
  const auto id = model_->identity();
  model_present_ = id.has_value();
  model_generation_ = id ? id->generation : 0;
}

std::optional<transport::UsbDeviceInfo> GadgetCamera::identity() const {
  auto id = model_->identity();
  if (id) id->generation = generation_;
  return id;
}

Reply GadgetCamera::control(const SetupPacket& setup, std::span<const uint8_t> out_data) {
  // A device still erasing or programming does not answer (NAKs) until it is done.
  std::this_thread::sleep_until(free_at_);
  if (!setup.is_in() && !out_data.empty()) {
    faults_.count_out_bytes(out_data.size());
    if (faults_.fire("disconnect")) {
      // Power cycle, as on the sim bus: the request is lost (never answered) and the camera
      // comes back fresh.
      build_model(mode_);
      ++generation_;
      ++reenumerations_;
      request_lost_ = true;
      return Reply::stalled();
    }
  }
  Reply reply = model_->control(setup, out_data);
  after_request();
  return reply;
}

bool GadgetCamera::take_lost_request() { return std::exchange(request_lost_, false); }

void GadgetCamera::set_alt_setting(uint8_t interface, uint8_t alt) {
  model_->set_alt_setting(interface, alt);
  after_request();
}

void GadgetCamera::bus_reset() {
  model_->bus_reset();
  after_request();
}

void GadgetCamera::after_request() {
  auto busy = model_->take_busy_time() + memories_->take_busy_time();
  if (options_.time_scale > 0)
    free_at_ = std::chrono::steady_clock::now() +
               std::chrono::nanoseconds(static_cast<int64_t>(static_cast<double>(busy.count()) / options_.time_scale));
  if (auto next = model_->take_mode_change()) {
    const std::string type = boards::to_string(board_.bootloader_type);
    // Without a model for the new mode the camera comes back in the mode it left, freshly reset
    // (what the sim-bus host does too).
    build_model(find_usb_model(type, *next) ? *next : mode_);
    ++generation_;
    ++reenumerations_;
    return;
  }
  const auto id = model_->identity();
  const bool present = id.has_value();
  const uint64_t gen = id ? id->generation : 0;
  if (present != model_present_ || gen != model_generation_) {
    model_present_ = present;
    model_generation_ = gen;
    ++generation_;
    ++reenumerations_;
  }
}

nlohmann::json GadgetCamera::stats() const {
  const nlohmann::json mem = memories_->stats();
  uint64_t erases = 0, programmed = 0, bits = 0;
  for (const auto& [name, m] : mem.items()) {
    erases += m.value("erases", uint64_t{0});
    programmed += m.value("bytes_programmed", uint64_t{0});
    bits += m.value("bits_not_erased", uint64_t{0});
  }
  return {{"serial", options_.serial},
          {"target", board_.target},
          {"mode", mode_},
          {"generation", generation_},
          {"reenumerations", reenumerations_},
          {"erases", erases},
          {"bytes_programmed", programmed},
          {"bits_not_erased", bits},
          {"memories", mem},
          {"model", model_->stats()},
          {"faults", faults_.stats()}};
}

}  // namespace omv::sim::gadget
