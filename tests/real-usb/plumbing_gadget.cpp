// A deliberately small USB device served by the gadget host, to prove the plumbing (vhci-hcd,
// descriptors, strings, alt settings, control transfers both ways, re-enumeration, a pulled
// cable) on a real Linux USB stack without any bootloader model. It speaks just enough plain
// DFU 1.1 for dfu-util: alt 0 "RAM" keeps what is downloaded and uploads it back, alt 1
// "Pattern" uploads a fixed pattern, DETACH re-enumerates it as 1209:0002.
//
//   omv_realusb_plumbing [--vhci DIR] [--unplug-after BYTES] [--ready FILE]
//   omv_realusb_plumbing --pattern        (prints the alt-1 pattern on stdout)
//   omv_realusb_plumbing --n6-files DIR   (writes test-made stand-ins for ST's two N6 recovery
//                                          files, a bootloader.bin and FlashLayout.tsv into DIR)
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "core/error.h"
#include "flash/stm32_phase_plan.h"
#include "image/file_io.h"
#include "image/stm32_test_images.h"
#include "sim/gadget/gadget_host.h"
#include "sim/gadget/vhci_port.h"

namespace {

using omv::sim::Reply;
using omv::sim::SetupPacket;

constexpr uint16_t kTransferSize = 4096;
constexpr size_t kPatternSize = 10000;
constexpr uint8_t kDfuIdle = 2, kDnloadIdle = 5, kUploadIdle = 9, kError = 10;

uint8_t pattern_byte(size_t i) { return static_cast<uint8_t>((i * 7 + i / 256) & 0xFF); }

class PlumbingModel : public omv::sim::UsbDeviceModel {
 public:
  std::optional<omv::transport::UsbDeviceInfo> identity() const override {
    omv::transport::UsbDeviceInfo info;
    info.id = {0x1209, static_cast<uint16_t>(detached_ ? 0x0002 : 0x0001)};
    info.bcd_device = 0x0100;
    info.manufacturer = "omv";
    info.product = detached_ ? "omv plumbing (detached)" : "omv plumbing";
    info.serial = "PLUMB0001";
    info.generation = detached_ ? 2 : 1;
    // bmAttributes: download, upload, manifestation tolerant; detach 1000 ms; 4096-byte transfers; DFU 1.1.
    const std::vector<uint8_t> functional{0x09, 0x21, 0x07, 0xE8, 0x03, 0x00, 0x10, 0x10, 0x01};
    for (uint8_t alt = 0; alt < 2; ++alt) {
      omv::transport::UsbInterfaceInfo itf;
      itf.alt = alt;
      itf.cls = 0xFE;
      itf.subclass = 0x01;
      itf.protocol = 0x02;
      itf.name = alt == 0 ? "RAM" : "Pattern";
      itf.extra = functional;
      info.interfaces.push_back(itf);
    }
    return info;
  }

  Reply control(const SetupPacket& s, std::span<const uint8_t> out) override {
    if ((s.request_type & 0x60) != 0x20) return Reply::stalled();
    switch (s.request) {
      case 0x00:  // DETACH
        detached_ = true;
        return Reply::ok();
      case 0x01:  // DNLOAD
        if (alt_ != 0) return error();
        if (out.empty()) {
          state_ = kDfuIdle;
          return Reply::ok();
        }
        if (state_ == kDfuIdle) ram_.clear();
        ram_.resize(static_cast<size_t>(s.value) * kTransferSize);
        ram_.insert(ram_.end(), out.begin(), out.end());
        state_ = kDnloadIdle;
        return Reply::ok();
      case 0x02: {  // UPLOAD
        const auto& source = alt_ == 0 ? ram_ : pattern_;
        const size_t at = static_cast<size_t>(s.value) * kTransferSize;
        const size_t n = at >= source.size() ? 0 : std::min<size_t>(s.length, source.size() - at);
        state_ = n == s.length ? kUploadIdle : kDfuIdle;
        return Reply::ok(std::vector<uint8_t>(source.begin() + static_cast<long>(std::min(at, source.size())),
                                              source.begin() + static_cast<long>(std::min(at, source.size()) + n)));
      }
      case 0x03:  // GETSTATUS
        return Reply::ok({status_, 0, 0, 0, state_, 0});
      case 0x04:  // CLRSTATUS
      case 0x06:  // ABORT
        state_ = kDfuIdle;
        status_ = 0;
        return Reply::ok();
      case 0x05:  // GETSTATE
        return Reply::ok({state_});
      default:
        return error();
    }
  }
  void set_alt_setting(uint8_t, uint8_t alt) override { alt_ = alt; }
  nlohmann::json stats() const override { return {{"ram_bytes", ram_.size()}, {"detached", detached_}}; }

  static std::vector<uint8_t> pattern() {
    std::vector<uint8_t> p(kPatternSize);
    for (size_t i = 0; i < p.size(); ++i) p[i] = pattern_byte(i);
    return p;
  }

 private:
  Reply error() {
    state_ = kError;
    status_ = 0x0F;  // errSTALLEDPKT
    return Reply::stalled();
  }

  bool detached_ = false;
  uint8_t alt_ = 0, state_ = kDfuIdle, status_ = 0;
  std::vector<uint8_t> ram_;
  std::vector<uint8_t> pattern_ = pattern();
};

std::atomic<bool> stop_requested{false};
void on_signal(int) { stop_requested = true; }

}  // namespace

int main(int argc, char** argv) {
  std::string vhci = "/sys/devices/platform/vhci_hcd.0", ready;
  omv::sim::gadget::HostOptions options;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--pattern") {
      const auto p = PlumbingModel::pattern();
      std::fwrite(p.data(), 1, p.size(), stdout);
      return 0;
    }
    if (a == "--n6-files" && i + 1 < argc) {
      const std::filesystem::path dir = argv[i + 1];
      omv::image::write_file(dir / "ob.stm32", omv::test_data::test_openbl_stm32());
      omv::image::write_file(dir / "extfl.bin", omv::test_data::test_extfl_loader());
      omv::image::write_file(dir / "bootloader.bin",
                             omv::image::make_stm32_v23(omv::test_data::pattern(150 * 1024, 0x44), 0x34180401));
      std::ofstream(dir / "FlashLayout.tsv") << omv::flash::openmv_n6_layout("ob.stm32", "extfl.bin", "bootloader.bin");
      return 0;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "usage: %s [--vhci DIR] [--unplug-after BYTES] [--ready FILE] | --pattern\n", argv[0]);
      return 2;
    }
    const std::string v = argv[++i];
    if (a == "--vhci") vhci = v;
    else if (a == "--unplug-after") options.unplug_after_out_bytes = std::stoull(v);
    else if (a == "--ready") ready = v;
    else {
      std::fprintf(stderr, "unknown option %s\n", a.c_str());
      return 2;
    }
  }
  if (std::getenv("OMV_GADGET_TRACE"))
    options.trace = [](const std::string& line) { std::fprintf(stderr, "gadget: %s\n", line.c_str()); };
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  try {
    PlumbingModel model;
    omv::sim::gadget::VhciPort controller(vhci);
    omv::sim::gadget::GadgetHost host(model, controller, options);
    host.step(omv::transport::Millis(0));
    if (!ready.empty()) std::ofstream(ready) << getpid() << "\n";
    host.serve([] { return stop_requested.load(); });
    auto stats = host.stats();
    stats["model"] = model.stats();
    std::printf("%s\n", stats.dump().c_str());
    return host.fault_fired() ? 3 : 0;
  } catch (const omv::Error& e) {
    std::fprintf(stderr, "omv_realusb_plumbing: %s\n", e.what());
    if (!e.hint().empty()) std::fprintf(stderr, "hint: %s\n", e.hint().c_str());
    return omv::exit_code(e.kind());
  }
}
