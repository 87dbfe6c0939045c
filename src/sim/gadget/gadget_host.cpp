#include "sim/gadget/gadget_host.h"

#include <fmt/format.h>

#include <algorithm>
#include <thread>

namespace omv::sim::gadget {
namespace {

constexpr uint8_t kGetStatus = 0x00, kClearFeature = 0x01, kSetFeature = 0x03, kSetAddress = 0x05,
                  kGetDescriptor = 0x06, kGetConfiguration = 0x08, kSetConfiguration = 0x09,
                  kGetInterface = 0x0A, kSetInterface = 0x0B;
constexpr uint8_t kDeviceDescriptor = 0x01, kConfigDescriptor = 0x02, kStringDescriptor = 0x03;
constexpr uint8_t kToDevice = 0, kToInterface = 1, kToEndpoint = 2;

bool is_standard(const SetupPacket& s) { return ((s.request_type >> 5) & 0x03) == 0; }
uint8_t recipient(const SetupPacket& s) { return s.request_type & 0x1F; }

}  // namespace

GadgetHost::GadgetHost(UsbDeviceModel& model, DeviceController& controller, HostOptions options)
    : model_(model), controller_(controller), options_(std::move(options)) {}

void GadgetHost::serve(const std::function<bool()>& stop) {
  while (!fault_fired_ && !stop()) step(options_.poll);
}

void GadgetHost::step(transport::Millis timeout) {
  follow_identity();
  if (!controller_.plugged()) {
    std::this_thread::sleep_for(timeout);
    return;
  }
  const uint64_t plugs_before = plugs_;
  for (const auto& setup : controller_.wait(timeout)) {
    ++setups_;
    if (options_.trace)
      trace(fmt::format("setup {:02x} {:02x} value {:04x} index {:04x} length {}", setup.request_type, setup.request,
                        setup.value, setup.index, setup.length));
    if (leaving_until_ && !is_standard(setup)) {
      // A class or vendor request for the device that just left: it leaves now. Standard
      // requests are what usbcore sends around a port reset (SET_INTERFACE 0 when usbfs lets
      // the interface go, the descriptor read of the reset itself) and are answered.
      leaving_until_ = std::chrono::steady_clock::now();
      follow_identity();
      return;
    }
    answer(setup);
    if (options_.unplug_after_out_bytes && out_bytes_ >= *options_.unplug_after_out_bytes && !fault_fired_) {
      trace(fmt::format("cable pulled after {} bytes", out_bytes_));
      fault_fired_ = true;
      controller_.unplug();
      return;
    }
    follow_identity();
    // Requests after a re-enumeration were meant for the device that just left the bus.
    if (plugs_ != plugs_before || !controller_.plugged()) return;
  }
}

void GadgetHost::follow_identity() {
  if (fault_fired_) return;
  const auto id = model_.identity();
  if (!id) {
    if (controller_.plugged()) trace("model left the bus");
    controller_.unplug();
    descriptors_.reset();
    return;
  }
  if (controller_.plugged() && id->generation == generation_) {
    leaving_until_.reset();
    return;
  }
  if (controller_.plugged()) {
    const auto now = std::chrono::steady_clock::now();
    if (options_.reset_window.count() > 0 && configured_) {
      if (!leaving_until_) {
        leaving_until_ = now + options_.reset_window;
        trace("model re-enumerates; waiting for a port reset");
      }
      if (now < *leaving_until_) return;
    }
    leaving_until_.reset();
    controller_.unplug();
    std::this_thread::sleep_for(options_.replug_gap);
  }
  for (const auto& itf : id->interfaces)
    if (!itf.endpoints.empty())
      fail(ErrorKind::unsupported,
           fmt::format("gadget: {} interface {} has endpoints besides endpoint 0; the gadget host serves "
                       "control-only devices (DFU) so far",
                       format_usb_id(id->id), itf.number));
  present(*id);
  controller_.plug(*descriptors_);
  trace(fmt::format("plugged {} generation {}", format_usb_id(id->id), generation_));
}

void GadgetHost::present(const transport::UsbDeviceInfo& id) {
  descriptors_ = build_descriptors(id);
  alts_present_.clear();
  for (const auto& itf : id.interfaces) alts_present_.insert({itf.number, itf.alt});
  generation_ = id.generation;
  configured_ = false;
  alt_.clear();
  leaving_until_.reset();
  ++plugs_;
}

void GadgetHost::answer(const SetupPacket& setup) {
  if (is_standard(setup) && answer_standard(setup)) return;
  answer_model(setup);
}

void GadgetHost::send(const SetupPacket& setup, std::vector<uint8_t> data) {
  data.resize(std::min<size_t>(data.size(), setup.length));
  in_bytes_ += data.size();
  controller_.send(data);
}

void GadgetHost::refuse() {
  ++stalls_;
  controller_.stall();
}

bool GadgetHost::answer_standard(const SetupPacket& setup) {
  const uint8_t to = recipient(setup);
  const auto low = static_cast<uint8_t>(setup.value & 0xFF);
  const auto interface = static_cast<uint8_t>(setup.index & 0xFF);
  switch (setup.request) {
    case kGetDescriptor:
      if (!setup.is_in() || to != kToDevice) return false;  // class descriptors of an interface: the model's
      switch (setup.value >> 8) {
        case kDeviceDescriptor:
          // The host reads the device descriptor of a configured device again only after it
          // reset the port (usbcore checks the device is still the same one).
          if (configured_) {
            trace("port reset");
            ++bus_resets_;
            configured_ = false;
            alt_.clear();
            if (leaving_until_) {
              // The model already re-enumerated: its new device meets the reset in place.
              if (const auto id = model_.identity()) {
                present(*id);
                trace(fmt::format("now {} generation {}", format_usb_id(id->id), generation_));
              }
            } else {
              model_.bus_reset();
              // A model that leaves on reset has already gone: answer as the old device would.
            }
          }
          send(setup, descriptors_->device);
          return true;
        case kConfigDescriptor:
          if (low != 0) break;
          send(setup, descriptors_->config);
          return true;
        case kStringDescriptor:
          if (auto text = string_descriptor(*descriptors_, low)) {
            send(setup, std::move(*text));
            return true;
          }
          break;
        default:  // device qualifier, other-speed configuration, BOS, class types: not ours
          break;
      }
      refuse();
      return true;
    case kSetAddress:
      if (to != kToDevice || setup.is_in()) return false;
      controller_.acknowledge();
      return true;
    case kSetConfiguration:
      if (to != kToDevice || setup.is_in()) return false;
      if (setup.value > 1) {
        refuse();
        return true;
      }
      configured_ = setup.value == 1;
      alt_.clear();
      controller_.acknowledge();
      return true;
    case kGetConfiguration:
      if (to != kToDevice || !setup.is_in()) return false;
      send(setup, {static_cast<uint8_t>(configured_ ? 1 : 0)});
      return true;
    case kSetInterface:
      if (to != kToInterface || setup.is_in()) return false;
      if (!alts_present_.count({interface, low})) {
        refuse();
        return true;
      }
      alt_[interface] = low;
      model_.set_alt_setting(interface, low);
      controller_.acknowledge();
      return true;
    case kGetInterface:
      if (to != kToInterface || !setup.is_in()) return false;
      send(setup, {alt_[interface]});
      return true;
    case kGetStatus:
      // Bus powered, no remote wakeup; no endpoint halted (endpoint 0 only).
      if (!setup.is_in() || to > kToEndpoint) return false;
      send(setup, {0, 0});
      return true;
    case kClearFeature:
    case kSetFeature:
      if (setup.is_in() || to > kToEndpoint) return false;
      controller_.acknowledge();
      return true;
    default:
      return false;
  }
}

void GadgetHost::answer_model(const SetupPacket& setup) {
  ++model_requests_;
  std::vector<uint8_t> data;
  if (!setup.is_in() && setup.length > 0) {
    data = controller_.receive(setup.length);
    out_bytes_ += data.size();
  }
  const Reply reply = model_.control(setup, data);
  if (options_.request_lost && options_.request_lost()) {
    trace("  device dropped off the bus during the request");
    ++drops_;
    controller_.unplug();
    return;
  }
  if (reply.stall) {
    trace("  model stalled");
    refuse();
    return;
  }
  if (!setup.is_in()) {
    controller_.acknowledge();
    return;
  }
  trace(fmt::format("  model answered {} bytes", reply.data.size()));
  send(setup, reply.data);
}

nlohmann::json GadgetHost::stats() const {
  return {{"plugs", plugs_},
          {"setups", setups_},
          {"model_requests", model_requests_},
          {"stalls", stalls_},
          {"bus_resets", bus_resets_},
          {"drops", drops_},
          {"out_bytes", out_bytes_},
          {"in_bytes", in_bytes_},
          {"generation", generation_},
          {"fault_fired", fault_fired_}};
}

}  // namespace omv::sim::gadget
