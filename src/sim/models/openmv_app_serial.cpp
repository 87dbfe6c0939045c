// The running camera on the sim bus: OpenmvAppModel behind the camera's USB CDC port (a
// pseudo-terminal served by the serial pty host). Its configuration (protocol, versions) is
// the camera's "firmware", kept in BUS/<serial>/app.json so it survives restarts like flash.
#include <fstream>

#include "sim/models/openmv_app_model.h"
#include "sim/models/openmv_boot_magic.h"
#include "sim/models/serial_model.h"

namespace omv::sim {
namespace {

class OpenmvAppSerialModel final : public SerialDeviceModel {
 public:
  explicit OpenmvAppSerialModel(ModelContext& ctx) : ctx_(ctx), app_(load_firmware(ctx.state_dir)) {}

  transport::UsbDeviceInfo identity() const override {
    transport::UsbDeviceInfo info;
    const bool legacy_ids = app_.firmware().legacy && ctx_.board.usb_id("legacy_app") && !ctx_.board.usb_id("app");
    info.id = ctx_.board.usb_id(legacy_ids ? "legacy_app" : "app").value_or(UsbId{});
    info.bcd_device = 0x0200;
    info.manufacturer = "OpenMV";
    info.product = ctx_.board.name + " (virtual)";
    info.serial = ctx_.serial;
    transport::UsbInterfaceInfo comm;
    comm.number = 0;
    comm.cls = 0x02;
    comm.subclass = 0x02;
    comm.protocol = 0x01;
    comm.endpoints = {{0x83, 0x03, 8}};
    transport::UsbInterfaceInfo data;
    data.number = 1;
    data.cls = 0x0A;
    data.endpoints = {{0x01, 0x02, 64}, {0x81, 0x02, 64}};
    info.interfaces = {comm, data};
    return info;
  }

  std::vector<uint8_t> receive(std::span<const uint8_t> bytes, uint32_t baud) override {
    return app_.receive(bytes, baud);
  }
  void line_changed(uint32_t baud, bool open) override { app_.line_changed(baud, open); }

  std::optional<std::string> take_mode_change() override {
    if (handed_over_ || app_.exit_request() == AppExit::none) return std::nullopt;
    handed_over_ = true;
    if (app_.exit_request() == AppExit::firmware_again) return std::string("app");
    const bool has_bootloader = ctx_.board.usb_id("bootloader").has_value();
    const std::string loader = has_bootloader ? "bootloader" : ctx_.board.usb_id("rom") ? "rom" : "bootloader";
    note_timeline(ctx_.state_dir, "app_exit " + app_.stats().value("exit", std::string()));
    if (app_.exit_request() == AppExit::bootloader_forced) {
      record_boot_entry(ctx_.state_dir, BootEntry::forced);
      return loader;
    }
    // A plain reset: the OpenMV bootloader runs after every reset (and leaves after its DFU
    // window); so does the RT1062's secure bootloader (the board's mode_after_reset); other
    // boards go straight back to their firmware.
    if (auto after = ctx_.board.loader.find("mode_after_reset"); after != ctx_.board.loader.end()) return after->second;
    if (ctx_.board.bootloader_type != boards::BootloaderType::openmv_dfu) return std::string("app");
    record_boot_entry(ctx_.state_dir, BootEntry::plain_reset);
    return loader;
  }

  nlohmann::json stats() const override {
    nlohmann::json j = app_.stats();
    j["firmware"] = app_.firmware().to_json();
    return j;
  }

 private:
  static AppFirmware load_firmware(const std::filesystem::path& dir) {
    std::ifstream in(dir / "app.json");
    if (!in) return AppFirmware{};
    return AppFirmware::from_json(nlohmann::json::parse(in, nullptr, false));
  }

  ModelContext& ctx_;
  OpenmvAppModel app_;
  bool handed_over_ = false;
};

std::unique_ptr<SerialDeviceModel> make_app(ModelContext& ctx) { return std::make_unique<OpenmvAppSerialModel>(ctx); }

const RegisterSerialModel reg_openmv{"openmv_dfu", "app", make_app};
const RegisterSerialModel reg_arduino{"arduino_dfuse", "app", make_app};
const RegisterSerialModel reg_nxp{"nxp_sdp_blhost", "app", make_app};
const RegisterSerialModel reg_picoboot{"picoboot", "app", make_app};

}  // namespace
}  // namespace omv::sim
