#pragma once
// Serves one device model on a USB port: presents the model's identity as descriptors, answers
// the standard requests (descriptors, strings, configuration, alt settings, status) as a USB
// device stack does, and hands every other control request to the model. When the model
// re-enumerates (DETACH, leaving a bootloader) or is unplugged, the host takes the device
// off the bus and presents the new identity, as the real camera does.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "sim/gadget/controller.h"
#include "sim/model.h"

namespace omv::sim::gadget {

struct HostOptions {
  transport::Millis poll{20};        // how often the model's identity is re-read when idle
  transport::Millis replug_gap{50};  // time off the bus between two identities
  // After the model re-enumerates (DETACH), the old connection stays up this long in case the
  // host resets the port right away (dfu-util --reset): the new device then answers that reset
  // in place. Closing the connection under a reset the kernel has started leaves the reset
  // waiting for its request to time out (5 s with vhci-hcd).
  transport::Millis reset_window{500};
  // Fault injection: take the device off the bus for good once this many bytes of OUT
  // data stages were received (a cable pulled in the middle of a download).
  std::optional<uint64_t> unplug_after_out_bytes;
  // Asked after each request the model handled: true when the device dropped off the bus in the
  // middle of it (a power cycle). The request is left unanswered and the cable comes out; the
  // model's new identity is plugged in afterwards.
  std::function<bool()> request_lost;
  // Called with one line per event and per answer, for debugging a host against the kernel.
  std::function<void(const std::string&)> trace;
};

class GadgetHost {
 public:
  GadgetHost(UsbDeviceModel& model, DeviceController& controller, HostOptions options = {});

  // Serves until `stop` returns true (checked between rounds) or the fault fired.
  void serve(const std::function<bool()>& stop);
  // One round: follow the model's identity, wait up to `timeout` for events, answer them.
  void step(transport::Millis timeout);

  bool fault_fired() const { return fault_fired_; }
  // Host counters: plugs, setups, stalls, port resets, bytes each way...
  nlohmann::json stats() const;

 private:
  void follow_identity();
  void present(const transport::UsbDeviceInfo& id);  // descriptors and state of a new identity
  void answer(const SetupPacket& setup);
  void send(const SetupPacket& setup, std::vector<uint8_t> data);  // IN data, cut to wLength
  void refuse();
  bool answer_standard(const SetupPacket& setup);
  void answer_model(const SetupPacket& setup);
  void trace(const std::string& line) const {
    if (options_.trace) options_.trace(line);
  }

  UsbDeviceModel& model_;
  DeviceController& controller_;
  HostOptions options_;
  std::optional<Descriptors> descriptors_;
  uint64_t generation_ = 0;
  bool configured_ = false;
  bool fault_fired_ = false;
  // Set while the model has re-enumerated but the old connection waits for a port reset.
  std::optional<std::chrono::steady_clock::time_point> leaving_until_;
  std::map<uint8_t, uint8_t> alt_;  // current alt setting per interface number
  std::set<std::pair<uint8_t, uint8_t>> alts_present_;  // (interface, alt) of the identity

  uint64_t plugs_ = 0, setups_ = 0, stalls_ = 0, model_requests_ = 0, bus_resets_ = 0, drops_ = 0;
  uint64_t out_bytes_ = 0, in_bytes_ = 0;
};

}  // namespace omv::sim::gadget
