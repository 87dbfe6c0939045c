#include "sim/local_device.h"

#include <algorithm>

namespace omv::sim {

LocalUsbDevice::LocalUsbDevice(UsbDeviceModel& model) : model_(model) {
  auto id = model.identity();
  if (!id) fail(ErrorKind::no_device, "the model is not on the bus");
  info_ = *id;
}

void LocalUsbDevice::check_present() {
  auto id = model_.identity();
  if (!id || id->generation != info_.generation) fail(ErrorKind::no_device, "device re-enumerated");
}

size_t LocalUsbDevice::control_in(uint8_t request_type, uint8_t request, uint16_t value, uint16_t index,
                                  std::span<uint8_t> data, transport::Millis) {
  check_present();
  requests_++;
  SetupPacket s{request_type, request, value, index, static_cast<uint16_t>(data.size())};
  Reply r = model_.control(s, {});
  if (r.stall) throw transport::UsbStall("local device stalled request " + std::to_string(request));
  size_t n = std::min(r.data.size(), data.size());
  std::copy_n(r.data.begin(), n, data.begin());
  return n;
}

size_t LocalUsbDevice::control_out(uint8_t request_type, uint8_t request, uint16_t value, uint16_t index,
                                   std::span<const uint8_t> data, transport::Millis) {
  check_present();
  requests_++;
  SetupPacket s{request_type, request, value, index, static_cast<uint16_t>(data.size())};
  Reply r = model_.control(s, data);
  if (r.stall) throw transport::UsbStall("local device stalled request " + std::to_string(request));
  return data.size();
}

size_t LocalUsbDevice::bulk_in(uint8_t endpoint, std::span<uint8_t> data, transport::Millis) {
  check_present();
  Reply r = model_.bulk_in(endpoint, data.size());
  if (r.stall) throw transport::UsbStall("local device stalled bulk IN");
  size_t n = std::min(r.data.size(), data.size());
  std::copy_n(r.data.begin(), n, data.begin());
  return n;
}

size_t LocalUsbDevice::bulk_out(uint8_t endpoint, std::span<const uint8_t> data, transport::Millis) {
  check_present();
  Reply r = model_.bulk_out(endpoint, data);
  if (r.stall) throw transport::UsbStall("local device stalled bulk OUT");
  return data.size();
}

std::string LocalUsbDevice::string_descriptor(uint8_t index) {
  std::vector<std::string> strings{info_.manufacturer, info_.product, info_.serial};
  for (const auto& i : info_.interfaces) strings.push_back(i.name);
  return index >= 1 && index <= strings.size() ? strings[index - 1u] : std::string();
}

}  // namespace omv::sim
