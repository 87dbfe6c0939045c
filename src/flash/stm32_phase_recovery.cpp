#include "flash/stm32_phase_recovery.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

#include "core/error.h"
#include "core/numbers.h"
#include "protocol/dfu/stm32_phase_client.h"

namespace omv::flash {
namespace {

namespace ph = dfu::phases;
using Millis = std::chrono::milliseconds;

const char* const kCubeHint = "run it again with --with-cubeprogrammer to let STM32CubeProgrammer try";

std::string stage_of(const transport::UsbDeviceInfo& info) { return ph::to_string(ph::parse_stage(info.product).stage); }

Millis block_budget(const PhaseBoardParams& p, uint16_t transfer_size) {
  const auto& t = p.nor->timing;
  const double units = p.nor->program_unit ? static_cast<double>(transfer_size) / p.nor->program_unit : 1;
  const double ms = t.erase_max_ms + units * t.program_us_per_unit / 1000.0;
  return Millis(static_cast<int64_t>(ms * 2) + 2000);
}

uint32_t expected_address(const PhaseImage& img, const PhaseBoardParams& p) {
  if (img.role == "nor") return static_cast<uint32_t>(p.nor->xip_base.value_or(p.nor->base) + img.target);
  return static_cast<uint32_t>(img.target);
}

class Walk {
 public:
  Walk(PhaseRecoveryRequest& req, transport::UsbDeviceInfo device)
      : req_(req), r_(req.reporter), params_(phase_board_params(req.board)), info_(std::move(device)) {}

  nlohmann::json run() {
    open();
    std::optional<ph::PhaseReply> next;
    for (int step = 0; step < 64; ++step) {
      ph::PhaseReply reply = next ? *next : get_phase();
      next.reset();
      if (reply.phase == ph::kReset) device_error(reply);
      if (reply.phase == ph::kEnd) return finish(reply);
      if (reply.phase == ph::kFlashLayout && reply.detach_requested) {
        detach_and_reopen();
        continue;
      }
      const uint8_t sent_phase = send(reply);
      // ST's "start" read: the same phase again (OpenBootloader), "send DETACH" (ROM, TF-A),
      // or already the next phase.
      auto start = get_phase();
      if (start.phase == ph::kReset) device_error(start);
      // ST's OpenBootloader answers a phase's "start" read with that phase before it moves on;
      // anything else means it dropped what it was sent (it reports failures no other way).
      if (stage_ == ph::Stage::openbl && start.phase != sent_phase)
        unexpected(start, fmt::format("the OpenBootloader did not confirm phase {} it was just sent",
                                      ph::phase_name(sent_phase)));
      if (start.phase != sent_phase || start.detach_requested) next = start;
    }
    fail(ErrorKind::device_error, fmt::format("{} kept asking for phases after 64 steps; stopped", client_->label()),
         kCubeHint);
  }

 private:
  void open() {
    device_ = req_.bus.open(info_);
    dfu::phases::PhaseClientOptions o;
    o.block_budget = block_budget(params_, 4096);
    o.manifest_budget = o.block_budget;
    client_ = std::make_unique<ph::PhaseClient>(*device_, dfu::Clock::real(), o);
    stage_ = ph::parse_stage(info_.product).stage;
    stages_.push_back(ph::to_string(stage_));
    r_.info(fmt::format("{} {} ({}): {} alt settings, {}", format_usb_id(info_.id), info_.serial, ph::to_string(stage_),
                        client_->alts().size(), describe_alts()));
  }

  std::string describe_alts() const {
    std::vector<std::string> names;
    for (const auto& a : client_->alts()) names.push_back(fmt::format("{}=0x{:02X}", a.name.name, a.name.phase));
    return fmt::format("{}", fmt::join(names, " "));
  }

  ph::PhaseReply get_phase() {
    try {
      return client_->get_phase();
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::no_device) vanished("GetPhase", 0);
      throw;
    }
  }

  [[noreturn]] void device_error(const ph::PhaseReply& reply) {
    fail(ErrorKind::device_error,
         fmt::format("{} ({}) reports an error (phase 0xFF){}{}; nothing more was sent", client_->label(),
                     ph::to_string(stage_), reply.error_text.empty() ? "" : ": ", reply.error_text),
         kCubeHint);
  }

  [[noreturn]] void unexpected(const ph::PhaseReply& reply, const std::string& why) {
    fail(ErrorKind::device_error,
         fmt::format("{} ({}) asks for phase {} at {}: {}; stopped, nothing more was written", client_->label(),
                     ph::to_string(stage_), ph::phase_name(reply.phase), hex32(reply.address), why),
         kCubeHint);
  }

  [[noreturn]] void vanished(const std::string& during, uint64_t at) {
    fail(ErrorKind::no_device,
         fmt::format("the {} ({}) left the bus during {}{}; what was sent before is kept, nothing after it was written",
                     req_.board.target, ph::to_string(stage_), during, at ? fmt::format(" at byte {}", at) : ""),
         "power-cycle the camera with the boot switch still set and run omv recover again (it starts over from the ROM)");
  }

  uint8_t send(const ph::PhaseReply& reply) {
    if (reply.phase == ph::kFlashLayout) {
      if (stage_ != ph::Stage::openbl) unexpected(reply, "only the OpenBootloader takes a layout");
      if (layout_sent_) unexpected(reply, "the layout was already sent (the device rejected it)");
      if (reply.address != params_.layout_address)
        unexpected(reply, fmt::format("the layout belongs at {}", hex32(params_.layout_address)));
      download(reply.phase, req_.plan.layout_blob, "layout", fmt::format("the flash layout ({} lines) to {}",
                                                                          req_.plan.images.size(), hex32(reply.address)));
      layout_sent_ = true;
      return reply.phase;
    }
    const auto* img = req_.plan.image_for(reply.phase);
    if (!img) unexpected(reply, "the layout has no selected line with that Id");
    if (sent_.count(reply.phase)) unexpected(reply, "it was already sent (the device rejected it)");
    if ((img->role == "fsbl") != (stage_ == ph::Stage::rom))
      unexpected(reply, img->role == "fsbl" ? "the FSBL goes to the boot ROM, and this is not it"
                                            : "the boot ROM takes only the FSBL");
    if (img->role != "fsbl" && !layout_sent_) unexpected(reply, "the layout has not been sent yet");
    const uint32_t want = expected_address(*img, params_);
    if (reply.address != want)
      unexpected(reply, fmt::format("the layout puts {} at {}", img->file.filename().string(), hex32(want)));
    const std::string what = img->role == "fsbl"     ? fmt::format("{} (FSBL) into RAM at {}", img->file.filename().string(), hex32(reply.address))
                             : img->role == "loader" ? fmt::format("{} (external-flash loader) into RAM at {}", img->file.filename().string(), hex32(reply.address))
                                                     : fmt::format("{} ({}) to {} offset {}", img->file.filename().string(),
                                                                   human_size(img->bytes.size()), params_.nor->name, hex32(img->target));
    download(reply.phase, img->bytes, img->role, what);
    sent_.insert(reply.phase);
    if (img->role == "nor") nor_bytes_ += img->bytes.size();
    return reply.phase;
  }

  void download(uint8_t phase, std::span<const uint8_t> bytes, const std::string& label, const std::string& what) {
    r_.begin(label, bytes.size(), fmt::format("phase {}: {}", ph::phase_name(phase), what));
    uint64_t done = 0;
    try {
      client_->download(phase, bytes, [&](uint64_t n) {
        done = n;
        r_.progress(n);
      });
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::no_device) vanished(fmt::format("phase {}", ph::phase_name(phase)), done);
      throw;
    }
    r_.end();
    phases_.push_back({{"phase", fmt::format("0x{:02X}", phase)}, {"role", label}, {"bytes", bytes.size()},
                       {"stage", ph::to_string(stage_)}});
    bytes_ += bytes.size();
  }

  void detach_and_reopen() {
    const std::string serial = info_.serial;
    r_.info(fmt::format("{} asks for DETACH: starting what it received", ph::to_string(stage_)));
    client_->detach();
    client_.reset();
    device_.reset();
    r_.begin("reenumerate", 0, fmt::format("waiting for ST's OpenBootloader (serial {}) to enumerate", serial), "");
    const auto id = info_.id;
    auto found = req_.bus.wait_for(
        [&](const transport::UsbDeviceInfo& d) {
          return d.id == id && d.serial == serial && ph::parse_stage(d.product).stage == ph::Stage::openbl;
        },
        req_.reenumeration);
    if (!found) {
      r_.end("gave up");
      fail(ErrorKind::timeout,
           fmt::format("no OpenBootloader with serial {} came up within {} ms of DETACH: the boot ROM refused or could not "
                       "start the FSBL",
                       serial, req_.reenumeration.count()),
           "check that the .stm32 file is ST's OpenBootloader for the N6 (OpenMV IDE's OPENMV_N6 folder), power-cycle the "
           "camera and run this again");
    }
    r_.end(fmt::format("{} {}", format_usb_id(found->id), found->product));
    info_ = *found;
    open();
  }

  nlohmann::json finish(const ph::PhaseReply& reply) {
    std::vector<std::string> missing;
    for (const auto& img : req_.plan.images) {
      if (img.role == "fsbl" && !sent_.count(img.phase) && stages_.front() == ph::to_string(ph::Stage::openbl)) continue;
      if (!sent_.count(img.phase)) missing.push_back(fmt::format("0x{:02X} ({})", img.phase, img.file.filename().string()));
    }
    if (!layout_sent_ || !missing.empty())
      unexpected(reply, fmt::format("the walk ended before {} was sent; ST's OpenBootloader reports a layout, loader or "
                                    "verify failure only this way",
                                    !layout_sent_ ? std::string("the layout") : fmt::format("{}", fmt::join(missing, ", "))));
    return {{"stages", stages_}, {"phases", phases_}, {"bytes", bytes_}, {"nor_bytes", nor_bytes_},
            {"polls", client_->polls()}};
  }

  PhaseRecoveryRequest& req_;
  Reporter& r_;
  PhaseBoardParams params_;
  transport::UsbDeviceInfo info_;
  std::unique_ptr<transport::UsbDevice> device_;
  std::unique_ptr<ph::PhaseClient> client_;
  ph::Stage stage_ = ph::Stage::unknown;
  std::vector<std::string> stages_;
  nlohmann::json phases_ = nlohmann::json::array();
  std::set<uint8_t> sent_;
  bool layout_sent_ = false;
  uint64_t bytes_ = 0, nor_bytes_ = 0;
};

}  // namespace

transport::UsbDeviceInfo find_phase_device(PhaseRecoveryRequest& req) {
  const auto params = phase_board_params(req.board);
  const UsbId id = req.board.usb_id("rom").value_or(UsbId{0x0483, 0xDF11});
  auto matches = [&](const transport::UsbDeviceInfo& d) { return d.id == id && (req.serial.empty() || d.serial == req.serial); };
  std::vector<transport::UsbDeviceInfo> mine, others;
  auto sort_out = [&] {
    mine.clear();
    others.clear();
    for (auto& d : req.bus.enumerate()) {
      if (!matches(d)) continue;
      auto stage = ph::parse_stage(d.product);
      (stage.device_id == params.device_id ? mine : others).push_back(d);
    }
  };
  sort_out();
  if (mine.empty() && others.empty() && req.wait.count() > 0) {
    req.reporter.begin("wait", 0, fmt::format("waiting for the {} in its boot ROM ({})", req.board.name, format_usb_id(id)), "");
    auto found = req.bus.wait_for(matches, req.wait);
    req.reporter.end(found ? "found" : "gave up");
    sort_out();
  }
  if (mine.empty() && !others.empty()) {
    const auto& d = others.front();
    auto stage = ph::parse_stage(d.product);
    fail(ErrorKind::refused,
         fmt::format("{} {} is not an {}: it reports {} (product \"{}\"), the {} is 0x{:03X}; nothing was sent",
                     format_usb_id(d.id), d.serial.empty() ? "(no serial)" : d.serial, req.board.mcu,
                     stage.device_id ? fmt::format("device ID 0x{:03X}", *stage.device_id) : std::string("no device ID"),
                     d.product, req.board.mcu, params.device_id),
         others.size() + mine.size() > 1 || req.serial.empty() ? "pick the camera with --serial SN (omv list shows them)"
                                                               : "recover that camera as its own board (omv recover OPENMV4 ...)");
  }
  if (mine.empty())
    fail(ErrorKind::no_device,
         fmt::format("no {} in its boot ROM ({}){}", req.board.name, format_usb_id(id),
                     req.serial.empty() ? "" : " with serial " + req.serial),
         "set the camera's boot switch to ROM (BOOT0 on), connect it by USB, and run this again (or pass --wait SECONDS)");
  if (mine.size() > 1) {
    std::vector<std::string> serials;
    for (const auto& d : mine) serials.push_back(d.serial + " (" + stage_of(d) + ")");
    fail(ErrorKind::usage, fmt::format("{} cameras are in their boot ROM: {}", mine.size(), fmt::join(serials, ", ")),
         "pick one with --serial SN");
  }
  return mine.front();
}

nlohmann::json recover_with_phases(PhaseRecoveryRequest& req) {
  auto device = find_phase_device(req);
  Walk walk(req, device);
  return walk.run();
}

}  // namespace omv::flash
