// The STM32N6 boot ROM's USB DFU (`omv sim start OPENMV_N6 --mode rom`), as UM3234 §3.7 describes
// it (stm32-dfu-phases.md §4.1): only phase 0x01 matters to it. GetPhase says 0x01 with the
// download buffer's address; the FSBL arrives on the FSBL alt (header + image at most 512 KiB);
// the zero-length DNLOAD ends it and the ROM checks the v2.3 header (magic, version, length,
// checksum); GetPhase then says phase 0x00 with address 0xFFFFFFFF and the "send DETACH" byte;
// DETACH (accepted in dfuIDLE, the N6's one difference from DFU 1.1) starts the FSBL, which
// enumerates as ST's OpenBootloader (mode "openbl").
// Inferred where UM3234 is silent (§7 of the facts): the GetPhase bytes follow TF-A (9 bytes,
// a 10th with the detach flag); the alt indices and sizes (the names and ids are CubeProgrammer's
// listing); an FSBL that fails its checks is dropped and the ROM asks for phase 0x01 again;
// a DNLOAD on another alt, or past the buffer, fails the request.
#include <fmt/format.h>

#include "image/stm32_header.h"
#include "sim/models/stm32_n6_models.h"
#include "sim/models/stm32_phase_device.h"

namespace omv::sim {
namespace {

namespace ph = dfu::phases;
using dfu::Status;

std::vector<ph::AltName> rom_alts() {
  return {{"FSBL", ph::kFsbl, 512 * 1024, true},
          {"virtual", ph::kVirtual, 512, false},
          {"RSSE_FW", 0xF3, 128 * 1024, false},
          {"RSSE_BLOB", 0xF5, 4 * 1024, false},
          {"RSSE_PLUGIN", 0xF6, 64 * 1024, false}};
}

class Stm32N6RomModel : public Stm32PhaseDeviceModel {
 public:
  explicit Stm32N6RomModel(ModelContext& ctx)
      : Stm32PhaseDeviceModel(ctx, phase_product("DFU in HS mode ", static_cast<uint32_t>(ctx.board.loader_number("rom_device_id").value_or(0)), 0x0100),
                              rom_alts()),
        limit_(ctx.board.loader_number("rom_fsbl_limit").value_or(image::kStm32N6FsblLimit)),
        buffer_address_(static_cast<uint32_t>(ctx.board.loader_number("rom_fsbl_address").value_or(0x34180000))) {}

  nlohmann::json stats() const override {
    auto j = Stm32PhaseDeviceModel::stats();
    j["fsbl_bytes"] = fsbl_.size();
    j["fsbl_accepted"] = accepted_;
    if (!rejection_.empty()) j["fsbl_rejected_because"] = rejection_;
    return j;
  }

 protected:
  Result download(uint16_t, std::span<const uint8_t> data) override {
    if (selected_phase() != ph::kFsbl || accepted_) {
      counters_["dnload_refused"]++;
      return {Status::errTARGET};
    }
    if (fsbl_.size() + data.size() > limit_) {
      counters_["fsbl_over_limit"]++;
      return {Status::errADDRESS};
    }
    fsbl_.insert(fsbl_.end(), data.begin(), data.end());
    return {};
  }

  void manifest() override {
    if (selected_phase() != ph::kFsbl || accepted_) return;
    try {
      (void)image::parse_stm32_v23(image::ByteView(fsbl_, {"(FSBL in RAM)", "STM32 image"}), limit_);
      accepted_ = true;
      counters_["fsbl_accepted"]++;
    } catch (const std::exception& e) {
      rejection_ = e.what();
      counters_["fsbl_rejected"]++;
      fsbl_.clear();
    }
  }

  Status upload(uint16_t, uint16_t length, std::vector<uint8_t>& data) override {
    if (selected_phase() != ph::kVirtual) return Status::errTARGET;
    ph::PhaseReply reply;
    if (accepted_) {
      reply.phase = ph::kFlashLayout;
      reply.address = ph::kUndefinedAddress;
      reply.detach_requested = true;
    } else {
      reply.phase = ph::kFsbl;
      reply.address = buffer_address_;
    }
    counters_["get_phase"]++;
    data = ph::encode_phase_reply(reply);
    if (data.size() > length) data.resize(length);
    return Status::OK;
  }

  void detach() override {
    if (!accepted_) {
      counters_["detach_without_fsbl"]++;
      return;
    }
    request_mode("openbl");
  }

 private:
  uint64_t limit_;
  uint32_t buffer_address_;
  std::vector<uint8_t> fsbl_;
  bool accepted_ = false;
  std::string rejection_;
};

}  // namespace

std::unique_ptr<UsbDeviceModel> make_stm32_n6_rom(ModelContext& ctx) { return std::make_unique<Stm32N6RomModel>(ctx); }

}  // namespace omv::sim
