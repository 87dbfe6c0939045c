// The flash adapter for DfuSe loaders: the ST system bootloader (st_rom_dfuse, used by `omv
// recover` and by boards whose only loader it is) and the Arduino DFU bootloader
// (arduino_dfuse). Address-based: the alt setting picks the memory (the board's dfuse_alt),
// pages are erased explicitly, every chunk is written after a Set Address. The device's layout
// strings are checked before any write: a page that is not writable there is refused.
#include <fmt/format.h>

#include <map>

#include "core/numbers.h"
#include "flash/bootloader_entry.h"
#include "flash/op_budget.h"
#include "flash/session.h"
#include "protocol/dfu/dfu_interface.h"
#include "protocol/dfu/dfuse.h"
#include "protocol/dfu/dfuse_layout.h"

namespace omv::flash {
namespace {

class DfuseSession : public Session {
 public:
  DfuseSession(SessionRequest& r, std::string mode) : board_(r.board), reporter_(r.reporter) {
    if (!r.usb) fail(ErrorKind::failure, "no USB bus for the DfuSe session");
    EntryRequest entry{r.board, mode, r.serial, *r.usb, r.reporter};
    info_ = find_or_enter_bootloader(entry, r.wait);
    device_ = r.usb->open(info_);
    read_layouts();
    device_->claim_interface(0);
    dfu::DfuOptions options;
    options.clear_stuck_busy = board_.loader_number("rom_dnbusy_stuck_from").has_value();
    dfu_ = std::make_unique<dfu::DfuInterface>(*device_, 0, descriptor_, dfu::Clock::real(), options);
    dfuse_ = std::make_unique<dfu::DfuseTarget>(*dfu_);
  }

  Capabilities capabilities() const override {
    Capabilities c;
    c.can_read = descriptor_.can_upload();
    c.explicit_erase = true;
    c.write_alignment = 1;
    c.max_chunk = descriptor_.transfer_size;
    return c;
  }

  std::string describe() const override {
    return fmt::format("{} DfuSe loader {} serial {}", board_.name, format_usb_id(info_.id), info_.serial);
  }

  // The loader's version is its bcdDevice (ST's system bootloader: 0x2200 is version 2.2).
  SessionIdentity identity() const override {
    return {info_.serial, info_.bus_port, fmt::format("{:x}.{:02x}", info_.bcd_device >> 8, info_.bcd_device & 0xFF)};
  }

  std::vector<uint8_t> read(const boards::Partition& part, uint64_t address, size_t length,
                            const std::function<void(size_t)>& on_progress) override {
    const auto& alt = select(part);
    check(alt, address, length, &dfu::LayoutSegment::readable, "readable");
    std::vector<uint8_t> out(length);
    dfuse_->read(addr32(address), out, Millis(5000), on_progress);
    return out;
  }

  void erase(const boards::Partition& part, uint64_t address, uint64_t length) override {
    const auto& alt = select(part);
    check(alt, address, length, &dfu::LayoutSegment::erasable, "erasable");
    for (uint64_t a = address; a < address + length;) {
      const auto* seg = alt.layout.find(a);
      uint64_t page = seg->start + (a - seg->start) / seg->page_size * seg->page_size;
      dfuse_->erase_page(addr32(page), erase_budget(*alt.memory, seg->page_size));
      a = page + seg->page_size;
    }
  }

  void write(const boards::Partition& part, uint64_t address, std::span<const uint8_t> data) override {
    const auto& alt = select(part);
    check(alt, address, data.size(), &dfu::LayoutSegment::writable, "writable");
    dfuse_->write_chunk(addr32(address), data, write_budget(*alt.memory, data.size()));
  }

  void check_writable(const boards::Partition& part, uint64_t address, uint64_t length) override {
    auto alt = memory_alt(part);
    if (!alt || !alts_.count(*alt))
      fail(ErrorKind::refused, fmt::format("{} ({}) is not reachable through this DfuSe device; nothing was written",
                                           part.name, part.memory));
    check(alts_.at(*alt), address, length, &dfu::LayoutSegment::writable, "writable");
  }

  void finish(const boards::Partition&) override {}

  void reset() override {
    std::optional<uint32_t> jump;
    if (auto a = board_.loader_number("dfuse_leave_address")) jump = addr32(*a);
    else if (const auto* fw = board_.partition_by_role("firmware"); fw && memory_alt(*fw)) jump = addr32(fw->start);
    if (!current_) select_alt(alts_.begin()->first);
    dfuse_->leave(jump);
  }

 private:
  struct Alt {
    const boards::Memory* memory = nullptr;
    dfu::MemoryLayout layout;
  };

  static uint32_t addr32(uint64_t a) {
    if (a > 0xFFFFFFFFull) fail(ErrorKind::failure, "address " + std::to_string(a) + " does not fit DfuSe's 32 bits");
    return static_cast<uint32_t>(a);
  }

  std::optional<uint8_t> memory_alt(const boards::Partition& part) const {
    const auto* m = board_.memory(part.memory);
    if (!m || !m->dfuse_alt) return std::nullopt;
    return static_cast<uint8_t>(*m->dfuse_alt);
  }

  void read_layouts() {
    for (const auto& i : info_.interfaces) {
      if (i.cls != dfu::kDfuClass) continue;
      std::string why;
      auto layout = dfu::parse_memory_layout(i.name, &why);
      if (!layout)
        fail(ErrorKind::device_error, fmt::format("device {} alt {} has a malformed memory layout \"{}\": {}",
                                                  info_.serial, i.alt, i.name, why));
      const boards::Memory* mem = board_.memory_by_dfuse_alt(i.alt);
      if (mem) alts_[i.alt] = Alt{mem, *layout};
      if (auto fd = dfu::find_functional_descriptor(i.extra)) descriptor_ = *fd;
    }
    if (alts_.empty())
      fail(ErrorKind::refused, fmt::format("device {} ({}) offers none of {}'s DfuSe memories; nothing was written",
                                           info_.serial, format_usb_id(info_.id), board_.target));
    if (descriptor_.transfer_size == 0)
      fail(ErrorKind::device_error, "device " + info_.serial + " has no usable DFU functional descriptor");
  }

  const Alt& select(const boards::Partition& part) {
    auto alt = memory_alt(part);
    if (!alt || !alts_.count(*alt))
      fail(ErrorKind::refused, fmt::format("{} ({}) is not reachable through this DfuSe device; nothing was written",
                                           part.name, part.memory));
    select_alt(*alt);
    return alts_.at(*alt);
  }

  void select_alt(uint8_t alt) {
    if (current_ == alt) return;
    device_->set_alt_setting(0, alt);
    current_ = alt;
    dfu_->ensure_idle(Millis(3000));
  }

  void check(const Alt& alt, uint64_t address, uint64_t length, bool (dfu::LayoutSegment::*attr)() const,
             const char* what) const {
    for (uint64_t a = address; a < address + std::max<uint64_t>(length, 1);) {
      const auto* seg = alt.layout.find(a);
      if (!seg || !(seg->*attr)())
        fail(ErrorKind::refused, fmt::format("{} is not {} on device {} (layout \"{}\")",
                                             hex32(a), what, info_.serial, alt.layout.name));
      a = seg->end;
    }
  }

  const boards::Board& board_;
  Reporter reporter_;
  transport::UsbDeviceInfo info_;
  std::unique_ptr<transport::UsbDevice> device_;
  dfu::FunctionalDescriptor descriptor_;
  std::map<uint8_t, Alt> alts_;
  std::unique_ptr<dfu::DfuInterface> dfu_;
  std::unique_ptr<dfu::DfuseTarget> dfuse_;
  std::optional<uint8_t> current_;
};

const RegisterSession st_rom{"st_rom_dfuse", [](SessionRequest& r) {
                               // Boards whose own loader is the ST ROM list it as "rom" only.
                               std::string mode = r.board.usb_id(r.mode) ? r.mode : "rom";
                               return std::make_unique<DfuseSession>(r, mode);
                             }};
const RegisterSession arduino{"arduino_dfuse", [](SessionRequest& r) { return std::make_unique<DfuseSession>(r, r.mode); }};

}  // namespace
}  // namespace omv::flash
