#include "transport/sim_usb.h"

#include "core/numbers.h"
#include "transport/sim_bus.h"
#include "transport/folder_watch.h"
#include "transport/sim_connection.h"

namespace omv::transport {
namespace {

using sim::wire::Op;

class SimUsbDevice : public UsbDevice {
 public:
  SimUsbDevice(UsbDeviceInfo info, std::filesystem::path dir)
      : info_(std::move(info)),
        conn_(std::move(dir), "virtual camera " + info_.serial + " (" + format_usb_id(info_.id) + ")", info_.generation) {}

  const UsbDeviceInfo& info() const override { return info_; }

  size_t control_in(uint8_t request_type, uint8_t request, uint16_t value, uint16_t index, std::span<uint8_t> data,
                    Millis timeout) override {
    auto reply = conn_.request(Op::control, setup(request_type, request, value, index, data.size(), {}), timeout,
                               describe(request, value));
    size_t n = std::min(reply.size(), data.size());
    std::copy_n(reply.begin(), n, data.begin());
    return n;
  }

  size_t control_out(uint8_t request_type, uint8_t request, uint16_t value, uint16_t index,
                     std::span<const uint8_t> data, Millis timeout) override {
    conn_.request(Op::control, setup(request_type, request, value, index, data.size(), data), timeout,
                  describe(request, value));
    return data.size();
  }

  size_t bulk_in(uint8_t endpoint, std::span<uint8_t> data, Millis timeout) override {
    sim::wire::Writer w;
    w.u8(endpoint).u32(static_cast<uint32_t>(data.size()));
    auto reply = conn_.request(Op::bulk_in, w.data(), timeout, "bulk IN");
    size_t n = std::min(reply.size(), data.size());
    std::copy_n(reply.begin(), n, data.begin());
    return n;
  }

  size_t bulk_out(uint8_t endpoint, std::span<const uint8_t> data, Millis timeout) override {
    sim::wire::Writer w;
    w.u8(endpoint).bytes(data);
    conn_.request(Op::bulk_out, w.data(), timeout, "bulk OUT");
    return data.size();
  }

  void claim_interface(uint8_t interface) override {
    for (const auto& i : info_.interfaces)
      if (i.number == interface) return;
    fail(ErrorKind::device_error, "virtual camera " + info_.serial + " has no interface " + std::to_string(interface));
  }

  void set_alt_setting(uint8_t interface, uint8_t alt) override {
    bool known = false;
    for (const auto& i : info_.interfaces) known = known || (i.number == interface && i.alt == alt);
    if (!known) throw UsbStall("virtual camera " + info_.serial + " has no alt setting " + std::to_string(alt));
    sim::wire::Writer w;
    w.u8(interface).u8(alt);
    conn_.request(Op::set_alt, w.data(), Millis(5000), "SET_INTERFACE");
  }

  std::string string_descriptor(uint8_t index) override {
    std::vector<uint8_t> buf(255);
    size_t n = control_in(0x80, 6, static_cast<uint16_t>(0x0300 | index), 0x0409, buf, Millis(5000));
    std::string s;
    for (size_t i = 2; i + 1 < n; i += 2) s += static_cast<char>(buf[i]);
    return s;
  }

  void reset() override { conn_.request(Op::reset, {}, Millis(5000), "port reset"); }

 private:
  static std::vector<uint8_t> setup(uint8_t type, uint8_t request, uint16_t value, uint16_t index, size_t length,
                                    std::span<const uint8_t> out) {
    sim::wire::Writer w;
    w.u8(type).u8(request).u16(value).u16(index).u16(static_cast<uint16_t>(length)).bytes(out);
    return w.data();
  }
  static std::string describe(uint8_t request, uint16_t value) {
    return "control request 0x" + hex32(request).substr(8) + " (wValue " + std::to_string(value) + ")";
  }

  UsbDeviceInfo info_;
  SimConnection conn_;
};

}  // namespace

SimUsbBus::SimUsbBus(std::filesystem::path bus) : bus_(std::move(bus)) {}

std::vector<UsbDeviceInfo> SimUsbBus::enumerate() {
  std::vector<UsbDeviceInfo> out;
  for (auto& cam : sim::list_cameras(bus_))
    if (cam.usb) {
      cam.usb->backend_path = "sim:" + cam.dir.string();
      cam.usb->bus_port = cam.usb->bus_port.empty() ? "sim-" + cam.serial : cam.usb->bus_port;
      out.push_back(*cam.usb);
    }
  return out;
}

std::unique_ptr<UsbDevice> SimUsbBus::open(const UsbDeviceInfo& device) {
  std::filesystem::path dir = device.backend_path.rfind("sim:", 0) == 0 ? std::filesystem::path(device.backend_path.substr(4))
                                                                          : sim::camera_dir(bus_, device.serial);
  return std::make_unique<SimUsbDevice>(device, dir);
}

std::optional<UsbDeviceInfo> SimUsbBus::wait_for(const UsbMatch& match, Millis timeout) {
  return wait_for_match([this] { return enumerate(); }, match,
                        [&](const std::function<bool()>& ready) { return wait_for_bus_change(bus_, ready, timeout); });
}

}  // namespace omv::transport
