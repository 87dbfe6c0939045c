#include "transport/libusb_hid.h"

#include <hidapi/hidapi.h>

#include <cwchar>

#include "core/numbers.h"
#include "transport/folder_watch.h"
#include "transport/libusb_usb.h"

namespace omv::transport {
namespace {

std::string narrow(const wchar_t* w) {
  std::string s;
  if (!w) return s;
  for (; *w; ++w) s += (*w < 128) ? static_cast<char>(*w) : '?';
  return s;
}

class HidapiDevice : public HidDevice {
 public:
  HidapiDevice(HidDeviceInfo info, hid_device* h) : info_(std::move(info)), h_(h) {}
  ~HidapiDevice() override { hid_close(h_); }
  const HidDeviceInfo& info() const override { return info_; }

  void write(std::span<const uint8_t> report) override {
    if (hid_write(h_, report.data(), report.size()) < 0)
      fail(ErrorKind::no_device, "HID write to " + format_usb_id(info_.id) + " failed: " + narrow(hid_error(h_)),
           "the device disconnected or re-enumerated");
  }

  size_t read(std::span<uint8_t> report, Millis timeout) override {
    int n = hid_read_timeout(h_, report.data(), report.size(), static_cast<int>(timeout.count()));
    if (n < 0)
      fail(ErrorKind::no_device, "HID read from " + format_usb_id(info_.id) + " failed: " + narrow(hid_error(h_)),
           "the device disconnected or re-enumerated");
    return static_cast<size_t>(n);
  }

 private:
  HidDeviceInfo info_;
  hid_device* h_;
};

}  // namespace

HidapiBus::HidapiBus() { hid_init(); }
HidapiBus::~HidapiBus() { hid_exit(); }

std::vector<HidDeviceInfo> HidapiBus::enumerate() {
  std::vector<HidDeviceInfo> out;
  hid_device_info* list = hid_enumerate(0, 0);
  for (auto* d = list; d; d = d->next) {
    HidDeviceInfo info;
    info.id = {d->vendor_id, d->product_id};
    info.serial = narrow(d->serial_number);
    info.manufacturer = narrow(d->manufacturer_string);
    info.product = narrow(d->product_string);
    info.path = d->path ? d->path : "";
    info.bus_port = info.path;
    out.push_back(std::move(info));
  }
  hid_free_enumeration(list);
  return out;
}

std::unique_ptr<HidDevice> HidapiBus::open(const HidDeviceInfo& device) {
  hid_device* h = hid_open_path(device.path.c_str());
  if (!h) {
    std::string why = narrow(hid_error(nullptr));
    if (why.find("ermission") != std::string::npos || why.find("ccess") != std::string::npos)
      fail(ErrorKind::permission, "cannot open HID device " + format_usb_id(device.id) + ": " + why, udev_hint());
    fail(ErrorKind::no_device, "cannot open HID device " + format_usb_id(device.id) + (why.empty() ? "" : ": " + why));
  }
  return std::make_unique<HidapiDevice>(device, h);
}

std::optional<HidDeviceInfo> HidapiBus::wait_for(const std::function<bool(const HidDeviceInfo&)>& match,
                                                 Millis timeout) {
  // hidapi has no hotplug notification: look again whenever a device node appears or changes
  // (the secure bootloader of an RT1062 is on the bus for about a second).
  return wait_for_match([this] { return enumerate(); }, match,
                        [&](const std::function<bool()>& ready) { return wait_for_device_nodes(ready, timeout); });
}

}  // namespace omv::transport
