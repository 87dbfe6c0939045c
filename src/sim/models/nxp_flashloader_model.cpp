#include "sim/models/nxp_flashloader_model.h"

#include <fstream>
#include <thread>

#include "core/error.h"

namespace omv::sim {
namespace {

// However fast the device runs, a host needs some real time to notice the device and open
// it: the board's window never shrinks below this when the camera runs faster than real time.
constexpr std::chrono::milliseconds kMinRealWindow{500};

uint64_t loader_number(const boards::Board& board, const char* key, uint64_t fallback) {
  return board.loader_number(key).value_or(fallback);
}

bool erased(std::span<const uint8_t> bytes) {
  return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0xFF; });
}

}  // namespace

NxpSimSettings NxpSimSettings::load(const std::filesystem::path& state_dir) {
  NxpSimSettings s;
  std::ifstream in(state_dir / "rt1062.json");
  if (!in) return s;
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_object() && j.contains("sbl_window_ms") && j["sbl_window_ms"].is_number_unsigned())
    s.sbl_window_ms = j["sbl_window_ms"].get<uint64_t>();
  return s;
}

FlashMemory& nxp_flash(ModelContext& ctx) {
  const auto* firmware = ctx.board.partition_by_role("firmware");
  FlashMemory* flash = firmware ? ctx.memories.find(firmware->memory) : nullptr;
  if (!flash && !ctx.memories.all().empty()) flash = ctx.memories.all().front().get();
  if (!flash) fail(ErrorKind::bad_board_data, ctx.board.target + ": no external flash memory for the virtual flashloader");
  return *flash;
}

std::string nxp_boot_mode(const boards::Board& board, FlashMemory& flash, const NxpFuseBank& fuses) {
  auto index = static_cast<uint32_t>(loader_number(board, "efuse_boot_address", 0x06));
  auto bit = static_cast<uint32_t>(loader_number(board, "efuse_boot_value", 0x10));
  bool boot_from_flash = (fuses.read(index).value_or(0) & bit) == bit;
  const uint64_t base = flash.memory().base;
  bool fcb = NxpMbootTarget::looks_like_fcb(flash.read(base, 8));
  const auto* sbl = board.partition_by_role("bootloader");
  bool bootloader = sbl && flash.contains(sbl->start, 4) && !erased(flash.read(sbl->start, 4));
  return boot_from_flash && fcb && bootloader ? "sbl" : "rom";
}

NxpFlashloaderModel::NxpFlashloaderModel(ModelContext& ctx, bool secure_bootloader)
    : ctx_(ctx),
      sbl_(secure_bootloader),
      flash_(nxp_flash(ctx)),
      fuses_(ctx.state_dir / "fuses.json"),
      target_(flash_, ram_, fuses_, NxpMbootConfig{0x4B020800, 1012, secure_bootloader}),
      started_(std::chrono::steady_clock::now()) {
  if (sbl_) {
    auto settings = NxpSimSettings::load(ctx.state_dir);
    uint64_t device_ms = settings.sbl_window_ms.value_or(loader_number(ctx.board, "sbl_window_ms", 1000));
    auto scaled = ctx.scaled(std::chrono::milliseconds(device_ms));
    // A window set for the camera (a test of the missed window) is taken as it is.
    window_ = settings.sbl_window_ms ? scaled : std::max(scaled, kMinRealWindow);
    const auto* firmware = ctx.board.partition_by_role("firmware");
    has_firmware_ = firmware && flash_.contains(firmware->start, 4) && !erased(flash_.read(firmware->start, 4));
  }
}

bool NxpFlashloaderModel::window_over() const {
  if (!sbl_ || claimed_ || !has_firmware_) return false;
  if (!left_ && std::chrono::steady_clock::now() - started_ >= window_) left_ = true;
  return left_;
}

std::optional<transport::HidDeviceInfo> NxpFlashloaderModel::identity() const {
  // Once the secure bootloader has started the firmware, the camera is no HID device any more.
  // (The running firmware's serial port is another model.)
  if (window_over()) return std::nullopt;
  transport::HidDeviceInfo info;
  info.id = ctx_.board.usb_id("flashloader").value_or(UsbId{0x15A2, 0x0073});
  info.manufacturer = "NXP SemiConductors Inc";
  info.product = sbl_ ? "OpenMV Cam RT1062 secure bootloader (virtual)" : "i.MX RT1062 flashloader (virtual)";
  info.serial = ctx_.serial;
  return info;
}

void NxpFlashloaderModel::write(std::span<const uint8_t> report) {
  if (window_over()) {
    ++ignored_reports_;  // too late: the firmware runs now
    return;
  }
  if (!report.empty() && report[0] == protocol::nxp::mboot::kReportCommandOut) claimed_ = true;
  if (!report.empty() && report[0] == protocol::nxp::mboot::kReportDataOut && ctx_.faults.fire("err_write"))
    target_.fail_next_write = true;
  target_.receive(report);
}

std::optional<std::vector<uint8_t>> NxpFlashloaderModel::read(transport::Millis timeout) {
  if (!window_over())
    if (auto r = target_.next_report()) return r;
  if (timeout.count() > 0) std::this_thread::sleep_for(ctx_.scaled(timeout));
  return std::nullopt;
}

std::optional<std::string> NxpFlashloaderModel::take_mode_change() {
  if (mode_change_taken_) return std::nullopt;
  if (window_over()) {
    mode_change_taken_ = true;
    return std::string("app");
  }
  // The reset takes effect once its answer has gone out.
  if (!target_.reset_requested() || target_.has_output()) return std::nullopt;
  mode_change_taken_ = true;
  return nxp_boot_mode(ctx_.board, flash_, fuses_);
}

std::optional<std::chrono::steady_clock::time_point> NxpFlashloaderModel::next_tick() const {
  // Also once the window is over but the firmware has not been started yet (a zero window).
  if (!sbl_ || claimed_ || !has_firmware_ || mode_change_taken_) return std::nullopt;
  return started_ + window_;
}

void NxpFlashloaderModel::tick() { window_over(); }

nlohmann::json NxpFlashloaderModel::stats() const {
  nlohmann::json j = target_.stats();
  j["fuses"] = fuses_.to_json();
  j["secure_bootloader"] = sbl_;
  if (sbl_) {
    j["window_ms"] = window_.count();
    j["claimed"] = claimed_;
    j["started_firmware"] = left_;
  }
  j["ignored_reports"] = ignored_reports_;
  return j;
}

namespace {
const RegisterHidModel flashloader{"nxp_sdp_blhost", "flashloader",
                                   [](ModelContext& ctx) { return std::make_unique<NxpFlashloaderModel>(ctx, false); }};
const RegisterHidModel secure_bootloader{"nxp_sdp_blhost", "sbl",
                                         [](ModelContext& ctx) { return std::make_unique<NxpFlashloaderModel>(ctx, true); }};
}  // namespace

}  // namespace omv::sim
