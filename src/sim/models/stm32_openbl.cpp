// ST's OpenBootloader for the STM32N6 (what the boot ROM starts after DETACH), as its USB side
// works in STM32CubeN6 (openbl_usb_cmd.c, usbd_dfu.c, external_memory_interface.c;
// stm32-dfu-phases.md §4.3):
//  - five alts: Flashlayout 0x00, FSBL-EXT 0x03, FSBL-APP 0x04, virtual 0xF1, OTP 0xF2;
//  - GetPhase (UPLOAD on the virtual alt) answers min(wLength, 1024) bytes and stays in
//    dfuUPLOAD-IDLE: byte 0 the phase of the partition counter (0 = the layout, then the Id of
//    TSV line n, line 0 being the FSBL the ROM took, then 0xFE), bytes 1..4 its address
//    (0x341FFC00 for the layout, the loader RAM for 0x03, the NOR window + TSV offset for
//    0x04/0x05, else 0xFFFFFFFF); the counter advances on every second GetPhase (a "phase"
//    read, then a "start" read);
//  - an UPLOAD on any alt sets the phase that the next DNLOAD goes to; the alt of the DNLOAD
//    itself is ignored;
//  - phase 0x00: the block is parsed as the layout (openbl_layout.h); phase 0x03: appended to
//    the loader RAM; phase 0x04/0x05: on the first block the external memory is initialised
//    through the loader's function table (entries inside the loader RAM), then per block the
//    64 KiB sector is erased when a new one is entered, written and verified;
//  - failures (layout, loader table, verify) are never reported over USB: the write routine's
//    status is dropped, so they show only as the walk going on, or ending, differently;
//  - DETACH only restarts the OpenBootloader (it cannot start an application over USB).
#include <algorithm>
#include <set>

#include "core/error.h"

#include "image/reader.h"
#include "image/stm32_header.h"
#include "sim/models/openbl_layout.h"
#include "sim/models/stm32_n6_models.h"
#include "sim/models/stm32_phase_device.h"

namespace omv::sim {
namespace {

namespace ph = dfu::phases;
using dfu::Status;

constexpr uint8_t kLoaderPhase = 0x03;
constexpr uint16_t kGetPhaseFrame = 1024;
constexpr uint8_t kFaultPhase = 0x07;  // the wrong_phase fault: an Id no OpenMV layout has

std::vector<ph::AltName> openbl_alts() {
  return {{"Flashlayout", ph::kFlashLayout, 1024, true},
          {"FSBL-EXT", kLoaderPhase, 32 * 1024, true},
          {"FSBL-APP", 0x04, 128 * 1024 * 1024, true},
          {"virtual", ph::kVirtual, 512, true},
          {"OTP", ph::kOtp, 752, true}};
}

bool is_external_phase(uint8_t phase) { return phase == 0x04 || phase == 0x05; }

class Stm32OpenblModel : public Stm32PhaseDeviceModel {
 public:
  explicit Stm32OpenblModel(ModelContext& ctx)
      : Stm32PhaseDeviceModel(ctx, phase_product("STM32OpenBootloader DFU", static_cast<uint32_t>(ctx.board.loader_number("rom_device_id").value_or(0)), 0x1000),
                              openbl_alts()) {
    const auto& b = ctx.board;
    layout_address_ = static_cast<uint32_t>(b.loader_number("openbl_layout_address").value_or(0x341FFC00));
    loader_address_ = static_cast<uint32_t>(b.loader_number("openbl_loader_address").value_or(0x38000000));
    loader_ram_.assign(b.loader_number("openbl_loader_size").value_or(0x8000), 0);
    auto it = b.loader.find("openbl_memory");
    nor_ = it == b.loader.end() ? nullptr : ctx.memories.find(it->second);
    if (nor_) window_ = nor_->memory().xip_base.value_or(nor_->memory().base);
  }

  nlohmann::json stats() const override {
    auto j = Stm32PhaseDeviceModel::stats();
    j["partition_counter"] = counter_;
    j["layout_lines"] = partitions_.size();
    j["layout_header"] = layout_header_;
    j["loader_bytes"] = loader_bytes_;
    j["external_memory_ready"] = external_ready_;
    if (!layout_error_.empty()) j["layout_error"] = layout_error_;
    return j;
  }

 protected:
  Status upload(uint16_t, uint16_t length, std::vector<uint8_t>& data) override {
    data.assign(std::min(length, kGetPhaseFrame), 0);
    routed_phase_ = selected_phase();
    if (routed_phase_ != ph::kVirtual) return Status::OK;  // OTP and memory reads: not modelled beyond their zeros
    counters_["get_phase"]++;
    uint8_t phase = counter_ == 0                   ? ph::kFlashLayout
                          : counter_ < partitions_.size() ? static_cast<uint8_t>(partitions_[counter_].id)
                                                          : ph::kEnd;
    if (ctx().faults.fire("wrong_phase")) {
      counters_["fault_wrong_phase"]++;
      phase = kFaultPhase;
    }
    routed_phase_ = phase;
    destination_ = address_of(phase);
    ph::PhaseReply reply;
    reply.phase = phase;
    reply.address = destination_;
    auto frame = ph::encode_phase_reply(reply);
    std::copy_n(frame.begin(), std::min<size_t>(9, std::min(frame.size(), data.size())), data.begin());
    if (start_read_next_) ++counter_;
    start_read_next_ = !start_read_next_;
    written_in_phase_ = 0;
    return Status::OK;
  }

  Result download(uint16_t, std::span<const uint8_t> data) override {
    counters_[fmt_phase("dnload_phase_", routed_phase_)]++;
    if (routed_phase_ == ph::kFlashLayout) take_layout(data);
    else if (routed_phase_ == kLoaderPhase) take_loader(data);
    else if (is_external_phase(routed_phase_)) write_external(data);
    written_in_phase_ += data.size();
    return {};  // USB_DFU_If_Write reports OK whatever happened
  }

  void detach() override { request_mode("openbl"); }

 private:
  static std::string fmt_phase(const char* prefix, uint8_t phase) {
    static const char* const kHex = "0123456789ABCDEF";
    return std::string(prefix) + "0x" + kHex[phase >> 4] + kHex[phase & 15];
  }

  uint32_t address_of(uint8_t phase) const {
    if (phase == ph::kFlashLayout) return layout_address_;
    if (phase == kLoaderPhase) return loader_address_;
    if (phase == kFaultPhase) return static_cast<uint32_t>(window_ + 0x100000);
    if (is_external_phase(phase))
      for (const auto& p : partitions_)
        if (p.id == phase) return static_cast<uint32_t>(window_ + p.offset);
    return ph::kUndefinedAddress;
  }

  void take_layout(std::span<const uint8_t> block) {
    image::Stm32Header header;
    try {
      layout_header_ = image::parse_stm32_v1(image::ByteView(block, {"(layout block)", "STM32 v1 header"}), header) ? "v1" : "none";
    } catch (const std::exception&) {
      layout_header_ = "bad";
    }
    auto parsed = parse_openbl_layout(block);
    if (!parsed.ok()) {
      layout_error_ = parsed.error;
      counters_["layout_parse_error"]++;
      return;
    }
    partitions_ = std::move(parsed.partitions);
  }

  void take_loader(std::span<const uint8_t> data) {
    const uint64_t at = loader_bytes_;
    if (at + data.size() > loader_ram_.size()) {
      counters_["loader_past_ram"]++;
      return;
    }
    std::copy(data.begin(), data.end(), loader_ram_.begin() + static_cast<std::ptrdiff_t>(at));
    loader_bytes_ += data.size();
  }

  // Init, Write, SectorErase, MassErase and Verify must point into the loader RAM; Read may be 0.
  bool loader_table_ok() const {
    for (size_t word : {0, 1, 2, 3, 5, 6}) {
      const uint32_t v = image::load_le32(&loader_ram_[word * 4]) & ~1u;
      if (word == 6 && v == 0) continue;
      if (v < loader_address_ || v >= loader_address_ + loader_ram_.size()) return false;
    }
    return loader_bytes_ >= 28;
  }

  void write_external(std::span<const uint8_t> data) {
    if (!external_ready_) {
      if (!nor_ || !loader_table_ok()) {
        counters_["external_init_failed"]++;
        return;
      }
      external_ready_ = true;
    }
    const uint64_t address = destination_ + written_in_phase_;
    if (address < window_ || !nor_->contains(nor_->memory().base + (address - window_), data.size())) {
      counters_["write_outside_memory"]++;
      return;
    }
    const uint64_t at = nor_->memory().base + (address - window_);
    for (uint64_t a = at; a < at + data.size();) {
      auto unit = nor_->memory().erase_unit_at(a);
      if (!unit) break;
      if (!erased_.count(unit->start)) {
        nor_->erase_unit(a);
        erased_.insert(unit->start);
      }
      a = unit->start + unit->size;
    }
    nor_->program(at, data);
    if (!std::equal(data.begin(), data.end(), nor_->read(at, data.size()).begin())) counters_["verify_failed"]++;
    counters_["blocks_written"]++;
  }

  uint32_t layout_address_ = 0, loader_address_ = 0;
  std::vector<uint8_t> loader_ram_;
  uint64_t loader_bytes_ = 0;
  FlashMemory* nor_ = nullptr;
  uint64_t window_ = 0;
  std::vector<OpenblPartition> partitions_;
  std::string layout_header_ = "none", layout_error_;
  size_t counter_ = 0;
  bool start_read_next_ = false;
  uint8_t routed_phase_ = ph::kFlashLayout;
  uint32_t destination_ = ph::kUndefinedAddress;
  uint64_t written_in_phase_ = 0;
  bool external_ready_ = false;
  std::set<uint64_t> erased_;
};

}  // namespace

std::unique_ptr<UsbDeviceModel> make_stm32_openbl(ModelContext& ctx) {
  if (!ctx.board.rom_speaks_stm32_phases())
    fail(ErrorKind::unsupported, ctx.board.target + " has no ST OpenBootloader mode: only a camera whose ROM speaks ST's DFU "
                                                    "phase protocol (the OpenMV N6) starts one",
         "start it in rom mode, or in its own bootloader mode");
  return std::make_unique<Stm32OpenblModel>(ctx);
}

const RegisterUsbModel openbl_of_openmv{"openmv_dfu", "openbl", make_stm32_openbl};

}  // namespace omv::sim
