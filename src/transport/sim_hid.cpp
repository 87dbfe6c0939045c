#include "transport/sim_hid.h"

#include "core/numbers.h"
#include "transport/sim_bus.h"
#include "transport/folder_watch.h"
#include "transport/sim_connection.h"

namespace omv::transport {
namespace {

using sim::wire::Op;

class SimHidDevice : public HidDevice {
 public:
  SimHidDevice(HidDeviceInfo info, std::filesystem::path dir, uint64_t generation)
      : info_(std::move(info)),
        conn_(std::move(dir), "virtual camera " + info_.serial + " (" + format_usb_id(info_.id) + ")", generation) {}

  const HidDeviceInfo& info() const override { return info_; }

  void write(std::span<const uint8_t> report) override {
    conn_.request(Op::hid_write, report, Millis(5000), "HID report write");
  }

  size_t read(std::span<uint8_t> report, Millis timeout) override {
    sim::wire::Writer w;
    w.u32(static_cast<uint32_t>(std::max<int64_t>(0, timeout.count())));
    // The camera waits up to `timeout` itself; allow it that long plus its own pacing.
    auto reply = conn_.request(Op::hid_read, w.data(), timeout + Millis(5000), "HID report read");
    size_t n = std::min(reply.size(), report.size());
    std::copy_n(reply.begin(), n, report.begin());
    return n;
  }

 private:
  HidDeviceInfo info_;
  SimConnection conn_;
};

// HID identities carry no generation of their own: the camera record's is used.
std::vector<std::pair<HidDeviceInfo, sim::CameraRecord>> hid_cameras(const std::filesystem::path& bus) {
  std::vector<std::pair<HidDeviceInfo, sim::CameraRecord>> out;
  for (auto& cam : sim::list_cameras(bus))
    if (cam.hid) {
      HidDeviceInfo info = *cam.hid;
      info.path = "sim:" + cam.dir.string() + "#" + std::to_string(cam.generation);
      if (info.bus_port.empty()) info.bus_port = "sim-" + cam.serial;
      out.emplace_back(info, cam);
    }
  return out;
}

}  // namespace

SimHidBus::SimHidBus(std::filesystem::path bus) : bus_(std::move(bus)) {}

std::vector<HidDeviceInfo> SimHidBus::enumerate() {
  std::vector<HidDeviceInfo> out;
  for (auto& [info, cam] : hid_cameras(bus_)) out.push_back(info);
  return out;
}

std::unique_ptr<HidDevice> SimHidBus::open(const HidDeviceInfo& device) {
  // path = "sim:<camera dir>#<generation>"
  std::string p = device.path.rfind("sim:", 0) == 0 ? device.path.substr(4) : device.path;
  uint64_t generation = 0;
  if (auto hash = p.rfind('#'); hash != std::string::npos) {
    generation = parse_u64(p.substr(hash + 1)).value_or(0);
    p = p.substr(0, hash);
  }
  return std::make_unique<SimHidDevice>(device, p, generation);
}

std::optional<HidDeviceInfo> SimHidBus::wait_for(const std::function<bool(const HidDeviceInfo&)>& match,
                                                 Millis timeout) {
  return wait_for_match([this] { return enumerate(); }, match,
                        [&](const std::function<bool()>& ready) { return wait_for_bus_change(bus_, ready, timeout); });
}

}  // namespace omv::transport
