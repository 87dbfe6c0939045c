#include "transport/libusb_usb.h"

#include <filesystem>

#include <libusb-1.0/libusb.h>

#include <algorithm>
#include <thread>

#include "core/numbers.h"

namespace omv::transport {
namespace {

std::string path_of(libusb_device* dev) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "usb:%03u/%03u", libusb_get_bus_number(dev), libusb_get_device_address(dev));
  return buf;
}

std::string bus_port_of(libusb_device* dev) {
  uint8_t ports[8];
  int n = libusb_get_port_numbers(dev, ports, sizeof ports);
  std::string s = std::to_string(libusb_get_bus_number(dev));
  for (int i = 0; i < n; ++i) s += (i == 0 ? "-" : ".") + std::to_string(ports[i]);
  return s;
}

std::string read_string(libusb_device_handle* h, uint8_t index) {
  if (!h || index == 0) return {};
  unsigned char buf[256];
  int n = libusb_get_string_descriptor_ascii(h, index, buf, sizeof buf);
  return n > 0 ? std::string(reinterpret_cast<char*>(buf), static_cast<size_t>(n)) : std::string();
}

std::string describe(const UsbDeviceInfo& info) {
  return format_usb_id(info.id) + " at " + info.bus_port;
}

[[noreturn]] void usb_fail(int rc, const std::string& what, const UsbDeviceInfo& info) {
  std::string msg = what + " on USB device " + describe(info) + ": " + libusb_strerror(static_cast<libusb_error>(rc));
  switch (rc) {
    case LIBUSB_ERROR_PIPE: throw UsbStall(msg);
    case LIBUSB_ERROR_TIMEOUT: fail(ErrorKind::timeout, msg);
    case LIBUSB_ERROR_NO_DEVICE:
    case LIBUSB_ERROR_NOT_FOUND:
      fail(ErrorKind::no_device,
           "USB device " + describe(info) + " vanished during " + what + " (" +
               libusb_strerror(static_cast<libusb_error>(rc)) + ")",
           "the device disconnected or re-enumerated");
    case LIBUSB_ERROR_ACCESS: fail(ErrorKind::permission, msg, udev_hint());
    case LIBUSB_ERROR_BUSY:
      fail(ErrorKind::device_error, msg, "another program (dfu-util, OpenMV IDE, a kernel driver) holds the device");
    default: fail(ErrorKind::device_error, msg);
  }
}

UsbDeviceInfo describe_device(libusb_device* dev) {
  UsbDeviceInfo info;
  libusb_device_descriptor dd{};
  libusb_get_device_descriptor(dev, &dd);
  info.id = {dd.idVendor, dd.idProduct};
  info.bcd_device = dd.bcdDevice;
  info.backend_path = path_of(dev);
  info.bus_port = bus_port_of(dev);
  info.generation = libusb_get_device_address(dev);
  libusb_device_handle* h = nullptr;
  int rc = libusb_open(dev, &h);
  if (rc == LIBUSB_ERROR_ACCESS) {
    info.accessible = false;
    info.access_error = "permission denied (" + std::string(udev_hint()) + ")";
  } else if (rc != 0) {
    info.accessible = false;
    info.access_error = libusb_strerror(static_cast<libusb_error>(rc));
  }
  info.manufacturer = read_string(h, dd.iManufacturer);
  info.product = read_string(h, dd.iProduct);
  info.serial = read_string(h, dd.iSerialNumber);
  libusb_config_descriptor* cfg = nullptr;
  if (libusb_get_active_config_descriptor(dev, &cfg) != 0) libusb_get_config_descriptor(dev, 0, &cfg);
  if (cfg) {
    std::vector<uint8_t> cfg_extra(cfg->extra, cfg->extra + cfg->extra_length);
    for (int i = 0; i < cfg->bNumInterfaces; ++i) {
      const libusb_interface& itf = cfg->interface[i];
      for (int a = 0; a < itf.num_altsetting; ++a) {
        const libusb_interface_descriptor& d = itf.altsetting[a];
        UsbInterfaceInfo ii;
        ii.number = d.bInterfaceNumber;
        ii.alt = d.bAlternateSetting;
        ii.cls = d.bInterfaceClass;
        ii.subclass = d.bInterfaceSubClass;
        ii.protocol = d.bInterfaceProtocol;
        ii.name = read_string(h, d.iInterface);
        ii.extra.assign(d.extra, d.extra + d.extra_length);
        // Some devices put the DFU functional descriptor after the configuration instead.
        if (ii.extra.empty() && ii.cls == 0xFE) ii.extra = cfg_extra;
        for (int e = 0; e < d.bNumEndpoints; ++e)
          ii.endpoints.push_back({d.endpoint[e].bEndpointAddress, d.endpoint[e].bmAttributes, d.endpoint[e].wMaxPacketSize});
        info.interfaces.push_back(std::move(ii));
      }
    }
    libusb_free_config_descriptor(cfg);
  }
  if (h) libusb_close(h);
  return info;
}

class LibusbDevice : public UsbDevice {
 public:
  LibusbDevice(UsbDeviceInfo info, libusb_device_handle* handle, std::shared_ptr<int> open_count)
      : info_(std::move(info)), h_(handle), open_count_(std::move(open_count)) {
    ++*open_count_;
  }
  ~LibusbDevice() override {
    for (int itf : claimed_) libusb_release_interface(h_, itf);
    libusb_close(h_);
    --*open_count_;
  }
  const UsbDeviceInfo& info() const override { return info_; }

  size_t control_in(uint8_t type, uint8_t request, uint16_t value, uint16_t index, std::span<uint8_t> data,
                    Millis timeout) override {
    int rc = libusb_control_transfer(h_, type, request, value, index, data.data(), static_cast<uint16_t>(data.size()),
                                     static_cast<unsigned>(timeout.count()));
    if (rc < 0) usb_fail(rc, "control IN request " + std::to_string(request), info_);
    return static_cast<size_t>(rc);
  }

  size_t control_out(uint8_t type, uint8_t request, uint16_t value, uint16_t index, std::span<const uint8_t> data,
                     Millis timeout) override {
    int rc = libusb_control_transfer(h_, type, request, value, index, const_cast<uint8_t*>(data.data()),
                                     static_cast<uint16_t>(data.size()), static_cast<unsigned>(timeout.count()));
    if (rc < 0) usb_fail(rc, "control OUT request " + std::to_string(request), info_);
    return static_cast<size_t>(rc);
  }

  size_t bulk_in(uint8_t endpoint, std::span<uint8_t> data, Millis timeout) override {
    int got = 0;
    int rc = libusb_bulk_transfer(h_, endpoint, data.data(), static_cast<int>(data.size()), &got,
                                  static_cast<unsigned>(timeout.count()));
    if (rc < 0 && !(rc == LIBUSB_ERROR_TIMEOUT && got > 0)) usb_fail(rc, "bulk IN", info_);
    return static_cast<size_t>(got);
  }

  size_t bulk_out(uint8_t endpoint, std::span<const uint8_t> data, Millis timeout) override {
    int sent = 0;
    int rc = libusb_bulk_transfer(h_, endpoint, const_cast<uint8_t*>(data.data()), static_cast<int>(data.size()), &sent,
                                  static_cast<unsigned>(timeout.count()));
    if (rc < 0) usb_fail(rc, "bulk OUT", info_);
    return static_cast<size_t>(sent);
  }

  void claim_interface(uint8_t interface) override {
    libusb_set_auto_detach_kernel_driver(h_, 1);
    int rc = libusb_claim_interface(h_, interface);
    if (rc < 0) usb_fail(rc, "claim interface " + std::to_string(interface), info_);
    claimed_.push_back(interface);
  }

  void set_alt_setting(uint8_t interface, uint8_t alt) override {
    int rc = libusb_set_interface_alt_setting(h_, interface, alt);
    if (rc < 0) usb_fail(rc, "set alt setting " + std::to_string(alt), info_);
  }

  std::string string_descriptor(uint8_t index) override { return read_string(h_, index); }

  void reset() override {
    int rc = libusb_reset_device(h_);
    if (rc < 0 && rc != LIBUSB_ERROR_NOT_FOUND && rc != LIBUSB_ERROR_NO_DEVICE) usb_fail(rc, "port reset", info_);
  }

 private:
  UsbDeviceInfo info_;
  libusb_device_handle* h_;
  std::vector<int> claimed_;
  std::shared_ptr<int> open_count_;
};

// udevd's control socket: without it, libudev's monitor (libusb's hotplug source) hears nothing.
bool udev_running() {
  std::error_code ec;
  return std::filesystem::exists("/run/udev/control", ec);
}

}  // namespace

const char* udev_hint() {
  return "run 'omv udev install' (installs the udev rules that give your user access to cameras in bootloader mode), "
         "then reconnect the camera";
}

LibusbBus::LibusbBus() {
  int rc = libusb_init(&ctx_);
  if (rc != 0) {
    ctx_ = nullptr;
    init_error_ = libusb_strerror(static_cast<libusb_error>(rc));
  }
}

LibusbBus::~LibusbBus() {
  if (ctx_) libusb_exit(ctx_);
}

void LibusbBus::refresh_without_udev() {
  if (!ctx_ || *open_devices_ > 0 || udev_running()) return;
  libusb_exit(ctx_);
  ctx_ = nullptr;
  if (int rc = libusb_init(&ctx_); rc != 0) {
    ctx_ = nullptr;
    init_error_ = libusb_strerror(static_cast<libusb_error>(rc));
  }
}

std::vector<UsbDeviceInfo> LibusbBus::enumerate() {
  std::vector<UsbDeviceInfo> out;
  if (!ctx_) return out;
  libusb_device** list = nullptr;
  ssize_t n = libusb_get_device_list(ctx_, &list);
  for (ssize_t i = 0; i < n; ++i) out.push_back(describe_device(list[i]));
  if (list) libusb_free_device_list(list, 1);
  return out;
}

std::unique_ptr<UsbDevice> LibusbBus::open(const UsbDeviceInfo& device) {
  if (!ctx_) fail(ErrorKind::no_device, "USB is not available on this host: " + init_error_);
  libusb_device** list = nullptr;
  ssize_t n = libusb_get_device_list(ctx_, &list);
  libusb_device_handle* h = nullptr;
  int rc = LIBUSB_ERROR_NO_DEVICE;
  for (ssize_t i = 0; i < n; ++i)
    if (path_of(list[i]) == device.backend_path) {
      rc = libusb_open(list[i], &h);
      break;
    }
  if (list) libusb_free_device_list(list, 1);
  if (rc != 0) {
    if (rc == LIBUSB_ERROR_ACCESS)
      fail(ErrorKind::permission, "cannot open USB device " + describe(device) + ": permission denied", udev_hint());
    usb_fail(rc, "open", device);
  }
  return std::make_unique<LibusbDevice>(device, h, open_devices_);
}

std::optional<UsbDeviceInfo> LibusbBus::wait_for(const UsbMatch& match, Millis timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool changed = true;
  libusb_hotplug_callback_handle handle = 0;
  bool hotplug = ctx_ && libusb_has_capability(LIBUSB_CAP_HAS_HOTPLUG) && udev_running();
  if (hotplug) {
    auto cb = [](libusb_context*, libusb_device*, libusb_hotplug_event, void* user) -> int {
      *static_cast<bool*>(user) = true;
      return 0;
    };
    if (libusb_hotplug_register_callback(ctx_, LIBUSB_HOTPLUG_EVENT_DEVICE_ARRIVED, LIBUSB_HOTPLUG_NO_FLAGS,
                                         LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY, LIBUSB_HOTPLUG_MATCH_ANY,
                                         cb, &changed, &handle) != 0)
      hotplug = false;
  }
  std::optional<UsbDeviceInfo> found;
  while (true) {
    if (changed) {
      changed = false;
      for (auto& d : enumerate())
        if (match(d)) {
          found = d;
          break;
        }
      if (found) break;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    if (hotplug) {
      // The arrival event can come before the device answers string requests (its product and
      // serial read as empty then), so a device that did not match is looked at again.
      const auto slice = std::min(left, Millis(100));
      timeval tv{static_cast<time_t>(slice.count() / 1000), static_cast<suseconds_t>((slice.count() % 1000) * 1000)};
      libusb_handle_events_timeout_completed(ctx_, &tv, nullptr);
      changed = true;
    } else {
      // No hotplug events on this host: look again every 100 ms, with a fresh device list.
      std::this_thread::sleep_for(std::min(left, Millis(100)));
      refresh_without_udev();
      changed = true;
    }
  }
  if (hotplug) libusb_hotplug_deregister_callback(ctx_, handle);
  return found;
}

}  // namespace omv::transport
