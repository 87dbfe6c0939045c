// The OpenMV bootloader (boot/ in the firmware repository: TinyUSB DFU class + dfu.c), as a
// device model. One alt setting per partition, named after it; a block lands at
// partition start + wBlockNum x wTransferSize; a write that lands on the start of an erase unit
// erases that unit first; read-only partitions answer errWRITE, writes past the partition limit
// errADDRESS; uploads past the limit answer a 4-byte zero frame; bwPollTimeout is 0; the device
// is manifestation tolerant and DETACH leaves the bootloader. Memory-mapped partitions (MRAM) are
// write-protected by the MPU until block 0 of a download unlocks them, and again after manifest.
#include <algorithm>
#include <fstream>

#include "core/numbers.h"
#include "sim/models/dfu_device.h"
#include "sim/models/openmv_boot_magic.h"

namespace omv::sim {
namespace {

using dfu::Status;

class OpenmvDfuModel : public DfuDeviceModel {
 public:
  explicit OpenmvDfuModel(ModelContext& ctx) : DfuDeviceModel(ctx) {
    const auto& b = ctx.board;
    transfer_size_ = b.dfu_transfer_size ? b.dfu_transfer_size : 4096;
    id_.id = b.usb_id(ctx.mode).value_or(b.usb_id("bootloader").value_or(UsbId{}));
    id_.bcd_device = static_cast<uint16_t>(b.loader_number("bootloader_bcd").value_or(0x0103));
    id_.manufacturer = "OpenMV";
    id_.product = "OpenMV Camera (DFU Mode)";
    id_.serial = ctx.serial;
    id_.generation = 1;
    // After a plain reset the bootloader leaves for the firmware when no download or upload
    // starts within OMV_BOOT_DFU_TIMEOUT; entered through the magic value it waits for good.
    entry_ = take_boot_entry(ctx.state_dir);
    const auto window = std::chrono::milliseconds(1500);
    window_ends_ = std::chrono::steady_clock::now() +
                   (ctx.time_scale > 0 ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(window / ctx.time_scale)
                                       : std::chrono::duration_cast<std::chrono::steady_clock::duration>(window));
    dfu::FunctionalDescriptor fd;
    fd.attributes = 0x07;  // can download, can upload, manifestation tolerant
    fd.detach_timeout_ms = 1000;
    fd.transfer_size = static_cast<uint16_t>(transfer_size_);
    fd.dfu_version = 0x0101;
    std::vector<const boards::Partition*> parts;
    for (const auto& p : b.partitions)
      if (p.alt) parts.push_back(&p);
    std::sort(parts.begin(), parts.end(), [](auto* x, auto* y) { return *x->alt < *y->alt; });
    for (const auto* p : parts) {
      transport::UsbInterfaceInfo itf;
      itf.number = 0;
      itf.alt = static_cast<uint8_t>(*p->alt);
      itf.cls = dfu::kDfuClass;
      itf.subclass = dfu::kDfuSubclass;
      itf.protocol = dfu::kDfuModeProtocol;
      itf.name = p->name;
      itf.extra = fd.encode();
      id_.interfaces.push_back(std::move(itf));
    }
  }

  std::optional<transport::UsbDeviceInfo> identity() const override { return id_; }

  Reply control(const SetupPacket& setup, std::span<const uint8_t> out_data) override {
    if (!first_request_noted_) {
      first_request_noted_ = true;
      note_timeline(ctx().state_dir, "first_dfu_request");
    }
    return DfuDeviceModel::control(setup, out_data);
  }

  std::optional<std::chrono::steady_clock::time_point> next_tick() const override {
    if (entry_ != BootEntry::plain_reset || attached_ || window_over_) return std::nullopt;
    return window_ends_;
  }

  void tick() override {
    if (entry_ != BootEntry::plain_reset || attached_ || window_over_) return;
    window_over_ = true;
    counters_["dfu_window_expired"]++;
    request_mode("app");
  }

  nlohmann::json stats() const override {
    auto j = DfuDeviceModel::stats();
    j["entry"] = entry_ == BootEntry::forced ? "forced" : entry_ == BootEntry::plain_reset ? "plain_reset" : "held";
    return j;
  }

 protected:
  const boards::Partition* partition() const { return ctx().board.partition_by_alt(alt()); }

  Result download(uint16_t block, std::span<const uint8_t> data) override {
    attached_ = true;
    const auto* p = partition();
    if (!p) return {Status::errTARGET};
    if (p->read_only) return {Status::errWRITE};
    auto* mem = ctx().memories.find(p->memory);
    if (!mem) return {Status::errTARGET};
    if (block == 0) unlocked_ = true;
    if (p->role == "recovery") return recover_octal_flash(data);
    const uint64_t addr = p->start + uint64_t{block} * transfer_size_;
    if (addr + data.size() > p->end) return {Status::errADDRESS};
    if (mem->memory().kind == "mram" && !unlocked_) {
      counters_["mpu_faults"]++;
      return {Status::errWRITE};
    }
    // Erase every erase unit whose first byte this block writes.
    if (mem->has_erase())
      for (uint64_t a = addr; a < addr + data.size();) {
        auto unit = mem->memory().erase_unit_at(a);
        if (!unit) break;
        if (unit->start == a) mem->erase_unit(a);
        a = unit->start + unit->size;
      }
    mem->program(addr, data);
    counters_["blocks_written"]++;
    return {};
  }

  uint32_t poll_timeout(uint16_t, std::span<const uint8_t>) override { return 0; }  // no board sets a delay

  Status upload(uint16_t block, uint16_t length, std::vector<uint8_t>& data) override {
    attached_ = true;
    const auto* p = partition();
    if (!p) return Status::errTARGET;
    auto* mem = ctx().memories.find(p->memory);
    if (!mem) return Status::errTARGET;
    const uint64_t addr = p->start + uint64_t{block} * transfer_size_;
    if (addr + length > p->end) {
      data.assign(4, 0);  // end-of-partition marker
      return Status::OK;
    }
    data = mem->read(addr, length);
    return Status::OK;
  }

  bool manifestation_tolerant() const override { return true; }
  void end_session() override { unlocked_ = false; }

  // The AE3's RECOVERY alt (boot/src/ports/alif spi_flash_recovery): a download whose first 16
  // bytes are the bootloader's key re-initialises the octal flash (JESD reset, configuration
  // registers, two chip erases), once per boot; it stores nothing. The real key is the
  // firmware's; a virtual camera uses the one in its folder (recovery_key.bin), else
  // kVirtualRecoveryKey. A wrong key is refused with errFILE, a second use in one boot with
  // errWRITE (the bootloader's own statuses are not documented).
  Result recover_octal_flash(std::span<const uint8_t> data) {
    std::string key = kVirtualRecoveryKey;
    if (std::ifstream in{ctx().state_dir / "recovery_key.bin", std::ios::binary}) key.assign(16, '\0'), in.read(key.data(), 16);
    if (data.size() < 16 || !std::equal(key.begin(), key.end(), data.begin(), [](char k, uint8_t d) { return static_cast<uint8_t>(k) == d; })) {
      counters_["recovery_key_refused"]++;
      return {Status::errFILE};
    }
    if (octal_flash_recovered_) {
      counters_["recovery_repeated"]++;
      return {Status::errWRITE};
    }
    octal_flash_recovered_ = true;
    for (auto& m : ctx().memories.all())
      if (m->memory().kind == "nor" || m->memory().name == "ospi") m->erase_all();
    counters_["octal_flash_recovered"]++;
    return {};
  }

 private:
  transport::UsbDeviceInfo id_;
  uint32_t transfer_size_ = 4096;
  bool unlocked_ = false;
  BootEntry entry_ = BootEntry::held;
  std::chrono::steady_clock::time_point window_ends_{};
  bool attached_ = false, window_over_ = false, first_request_noted_ = false;
  bool octal_flash_recovered_ = false;
  static constexpr const char* kVirtualRecoveryKey = "OMV-SIM-OSPI-KEY";
};

const RegisterUsbModel openmv_dfu_registration{"openmv_dfu", "bootloader",
                                  [](ModelContext& ctx) { return std::make_unique<OpenmvDfuModel>(ctx); }};

}  // namespace
}  // namespace omv::sim
