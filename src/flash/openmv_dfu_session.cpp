// The flash adapter for the OpenMV bootloader (openmv_dfu): plain DFU 1.1, one alt setting per
// partition, block n of a download lands at partition start + n x wTransferSize and erases the
// erase unit it starts; uploads read the same way. Partitions are checked against the device's
// alt names before anything is written.
#include <fmt/format.h>

#include "core/numbers.h"
#include "core/text.h"
#include "flash/bootloader_entry.h"
#include "flash/op_budget.h"
#include "flash/session.h"
#include "protocol/dfu/dfu_interface.h"

namespace omv::flash {
namespace {

using dfu::State;

class OpenmvDfuSession : public Session {
 public:
  explicit OpenmvDfuSession(SessionRequest& r) : board_(r.board), reporter_(r.reporter) {
    if (!r.usb) fail(ErrorKind::failure, "no USB bus for the DFU session");
    EntryRequest entry{r.board, r.mode, r.serial, *r.usb, r.reporter};
    info_ = find_or_enter_bootloader(entry, r.wait);
    device_ = r.usb->open(info_);
    check_identity();
    device_->claim_interface(0);
    dfu_ = std::make_unique<dfu::DfuInterface>(*device_, 0, descriptor_, dfu::Clock::real());
  }

  Capabilities capabilities() const override {
    Capabilities c;
    c.can_read = descriptor_.can_upload();
    c.erase_on_write = true;
    c.write_alignment = descriptor_.transfer_size;
    c.max_chunk = descriptor_.transfer_size;
    return c;
  }

  std::string describe() const override {
    return fmt::format("{} bootloader {} serial {}, bootloader {}.{}.{}", board_.name, format_usb_id(info_.id),
                       info_.serial, info_.bcd_device >> 8, (info_.bcd_device >> 4) & 15, info_.bcd_device & 15);
  }

  SessionIdentity identity() const override {
    return {info_.serial, info_.bus_port,
            fmt::format("{}.{}.{}", info_.bcd_device >> 8, (info_.bcd_device >> 4) & 15, info_.bcd_device & 15)};
  }

  bool writes_start_at_partition_start(const boards::Partition& part) const override {
    const auto* m = board_.memory(part.memory);
    return m && m->kind == "mram";  // memory-mapped: the MPU opens it on block 0 only
  }

  std::vector<uint8_t> read(const boards::Partition& part, uint64_t address, size_t length,
                            const std::function<void(size_t)>& on_progress) override {
    if (downloading_ && current_alt_ == part.alt) finish(part);
    select(part);
    const uint64_t xfer = descriptor_.transfer_size;
    if (address < part.start || address + length > part.end)
      fail(ErrorKind::usage, fmt::format("read of {} bytes at {} is outside {}", length, hex32(address), part.name));
    std::vector<uint8_t> out;
    out.reserve(length);
    uint64_t first = (address - part.start) / xfer;
    uint64_t skip = (address - part.start) % xfer;
    std::vector<uint8_t> buf(xfer);
    for (uint64_t block = first; out.size() < length; ++block) {
      uint64_t block_addr = part.start + block * xfer;
      size_t n = dfu_->upload(block16(block), buf, Millis(5000), "upload of " + part.name + " at " + hex32(block_addr));
      if (n < xfer && block_addr + xfer <= part.end)
        fail(ErrorKind::device_error, fmt::format("DFU device {} sent {} bytes for block {} of {} ({} expected)",
                                                  dfu_->label(), n, block, part.name, xfer));
      size_t take = std::min<size_t>(n - skip, length - out.size());
      out.insert(out.end(), buf.begin() + static_cast<ptrdiff_t>(skip), buf.begin() + static_cast<ptrdiff_t>(skip + take));
      skip = 0;
      if (on_progress) on_progress(out.size());
    }
    dfu_->abort();
    return out;
  }

  void erase(const boards::Partition& part, uint64_t, uint64_t) override {
    fail(ErrorKind::unsupported, "the OpenMV bootloader has no erase command (" + part.name +
                                     "): erase units are erased by writing their first block");
  }

  void write(const boards::Partition& part, uint64_t address, std::span<const uint8_t> data) override {
    select(part);
    const uint64_t xfer = descriptor_.transfer_size;
    if (address < part.start || (address - part.start) % xfer != 0 || data.size() > xfer || address + data.size() > part.end)
      fail(ErrorKind::failure, fmt::format("internal: write of {} bytes at {} does not fit the DFU blocks of {}",
                                           data.size(), hex32(address), part.name));
    const auto* mem = board_.memory(part.memory);
    uint64_t erased = 0;
    if (mem)
      if (auto unit = mem->erase_unit_at(address); unit && unit->start == address && !mem->erase_layout.empty())
        erased = unit->size;
    uint64_t block = (address - part.start) / xfer;
    downloading_ = true;
    dfu_->download_and_wait(block16(block), data, mem ? write_budget(*mem, data.size(), erased) : Millis(10000),
                            fmt::format("write of block {} of {} ({})", block, part.name, hex32(address)));
  }

  void finish(const boards::Partition& part) override {
    if (!downloading_ || current_alt_ != part.alt) return;
    downloading_ = false;
    dfu_->dnload(0, {}, "end of download to " + part.name);
    dfu_->wait_for_state({State::dfuIDLE}, Millis(5000), "manifestation of " + part.name);
  }

  void reset() override {
    if (downloading_) {
      if (const auto* p = current_alt_ ? board_.partition_by_alt(*current_alt_) : nullptr) finish(*p);
    }
    // The OpenMV bootloader takes DETACH as "leave and run the firmware".
    try {
      dfu_->detach(1000);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::no_device) throw;
    }
  }

 private:
  static uint16_t block16(uint64_t block) {
    if (block > 0xFFFF) fail(ErrorKind::failure, "DFU block number " + std::to_string(block) + " exceeds 16 bits");
    return static_cast<uint16_t>(block);
  }

  void check_identity() {
    const transport::UsbInterfaceInfo* dfu_itf = nullptr;
    for (const auto& p : board_.partitions) {
      if (!p.alt) continue;
      const transport::UsbInterfaceInfo* found = nullptr;
      for (const auto& i : info_.interfaces)
        if (i.cls == dfu::kDfuClass && i.alt == *p.alt) found = &i;
      if (!found || !iequals(found->name, p.name))
        fail(ErrorKind::refused,
             fmt::format("device {} is not an {}: its alt {} is \"{}\" where the board data has {}; nothing was written",
                         info_.serial, board_.target, *p.alt, found ? found->name : "missing", p.name),
             "check the TARGET (omv list shows what is connected)");
      dfu_itf = found;
    }
    if (!dfu_itf) fail(ErrorKind::bad_board_data, board_.target + " has no partition with a DFU alt setting");
    auto fd = dfu::find_functional_descriptor(dfu_itf->extra);
    if (!fd || fd->transfer_size == 0)
      fail(ErrorKind::device_error, "device " + info_.serial + " has no usable DFU functional descriptor");
    descriptor_ = *fd;
    if (board_.dfu_transfer_size && board_.dfu_transfer_size != fd->transfer_size)
      reporter_.warn(fmt::format("device reports wTransferSize {}, board data says {}; using the device's",
                                 fd->transfer_size, board_.dfu_transfer_size));
  }

  void select(const boards::Partition& part) {
    if (!part.alt) fail(ErrorKind::bad_board_data, board_.target + ": partition " + part.name + " has no DFU alt setting");
    if (current_alt_ == part.alt) return;
    if (downloading_ && current_alt_)
      if (const auto* p = board_.partition_by_alt(*current_alt_)) finish(*p);
    device_->set_alt_setting(0, static_cast<uint8_t>(*part.alt));
    current_alt_ = part.alt;
    dfu_->ensure_idle(Millis(3000));
  }

  const boards::Board& board_;
  Reporter reporter_;
  transport::UsbDeviceInfo info_;
  std::unique_ptr<transport::UsbDevice> device_;
  dfu::FunctionalDescriptor descriptor_;
  std::unique_ptr<dfu::DfuInterface> dfu_;
  std::optional<int> current_alt_;
  bool downloading_ = false;
};

const RegisterSession openmv_dfu_session_registration{"openmv_dfu", [](SessionRequest& r) { return std::make_unique<OpenmvDfuSession>(r); }};

}  // namespace
}  // namespace omv::flash
