#include "flash/picoboot_session.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "core/numbers.h"
#include "flash/bootloader_entry.h"

namespace omv::flash {
namespace {

namespace pb = protocol::picoboot;
using transport::Millis;

constexpr uint32_t kSramEnd = 0x20042000;   // initial SP picotool gives a flash boot
constexpr uint32_t kRebootDelayMs = 500;
constexpr size_t kReadChunk = 64 * 1024;

}  // namespace

PicobootSession::PicobootSession(const boards::Board& board, transport::UsbDeviceInfo info,
                                 std::unique_ptr<transport::UsbDevice> device, Reporter reporter)
    : board_(board), info_(std::move(info)), device_(std::move(device)), reporter_(std::move(reporter)) {
  auto itf = pb::find_interface(info_);
  if (!itf)
    fail(ErrorKind::device_error,
         fmt::format("{} ({}) has no PICOBOOT interface", board_.target, format_usb_id(info_.id)),
         "the boot ROM may have PICOBOOT disabled; copy the UF2 onto the RPI-RP2 drive instead (omv flash --drive DIR)");
  interface_ = *itf;
  device_->claim_interface(interface_.number);
  client_ = std::make_unique<pb::Client>(*device_, interface_);
  // Lock out the drive while omv writes (a file manager copying a UF2 at the same time would
  // interleave its writes with ours), then hand the flash over to the ROM's routines.
  client_->exclusive_access(pb::Exclusive::exclusive);
  client_->exit_xip();
}

PicobootSession::~PicobootSession() {
  if (rebooted_ || !client_) return;
  try {
    client_->exclusive_access(pb::Exclusive::not_exclusive);
  } catch (const Error&) {
  }
}

Capabilities PicobootSession::capabilities() const {
  Capabilities c;
  c.can_read = true;
  c.explicit_erase = true;
  c.write_alignment = 256;
  c.max_chunk = 4096;
  return c;
}

std::string PicobootSession::describe() const {
  return fmt::format("{} in BOOTSEL {}{}, PICOBOOT on interface {}", board_.name, format_usb_id(info_.id),
                     info_.serial.empty() ? "" : " serial " + info_.serial, interface_.number);
}

// The boot ROM reports no version over PICOBOOT.
SessionIdentity PicobootSession::identity() const { return {info_.serial, info_.bus_port, {}}; }

const boards::Memory& PicobootSession::memory(const boards::Partition& part) const {
  const auto* m = board_.memory(part.memory);
  if (!m) fail(ErrorKind::bad_board_data, board_.target + ": partition " + part.name + " has no memory");
  return *m;
}

void PicobootSession::check_range(const boards::Partition& part, uint64_t address, uint64_t length,
                                  const char* what) const {
  if (address < part.start || length > part.size() || address - part.start > part.size() - length)
    fail(ErrorKind::refused,
         fmt::format("{} {}+{:#x} is outside partition {} ({}-{}); nothing was written", what, hex32(address), length,
                     part.name, hex32(part.start), hex32(part.end)));
}

void PicobootSession::check_writable(const boards::Partition& part, uint64_t address, uint64_t length) {
  check_range(part, address, length, "write");
  const auto& m = memory(part);
  if (address < m.base || address + length > m.end())
    fail(ErrorKind::refused, fmt::format("{}+{:#x} is outside the flash ({}-{}); nothing was written", hex32(address),
                                         length, hex32(m.base), hex32(m.end())));
}

std::vector<uint8_t> PicobootSession::read(const boards::Partition& part, uint64_t address, size_t length,
                                           const std::function<void(size_t)>& on_progress) {
  check_range(part, address, length, "read");
  std::vector<uint8_t> out;
  out.reserve(length);
  while (out.size() < length) {
    const size_t n = std::min(kReadChunk, length - out.size());
    auto chunk = client_->read(static_cast<uint32_t>(address + out.size()), static_cast<uint32_t>(n));
    out.insert(out.end(), chunk.begin(), chunk.end());
    if (on_progress) on_progress(out.size());
  }
  return out;
}

void PicobootSession::erase(const boards::Partition& part, uint64_t address, uint64_t length) {
  check_range(part, address, length, "erase");
  const auto& m = memory(part);
  const uint64_t unit = m.erase_layout.empty() ? 4096 : m.erase_layout.front().size;
  const double per = m.timing.erase_max_ms > 0 ? m.timing.erase_max_ms : 400;
  const auto timeout = Millis(static_cast<int64_t>(static_cast<double>((length + unit - 1) / unit) * per * 1.5) + 2000);
  client_->flash_erase(static_cast<uint32_t>(address), static_cast<uint32_t>(length), timeout);
}

void PicobootSession::write(const boards::Partition& part, uint64_t address, std::span<const uint8_t> data) {
  check_range(part, address, data.size(), "write");
  const auto& m = memory(part);
  const uint64_t pages = (data.size() + 255) / 256;
  const double us = m.timing.program_us_per_unit > 0 ? m.timing.program_us_per_unit : 1000;
  const auto timeout = Millis(static_cast<int64_t>(static_cast<double>(pages) * us * 3 / 1000) + 2000);
  client_->write(static_cast<uint32_t>(address), data, timeout);
}

void PicobootSession::reset() {
  // pc 0: the ROM boots the flash image, as picotool -x does for an image in flash.
  client_->reboot(0, kSramEnd, kRebootDelayMs);
  rebooted_ = true;
}

namespace {

std::unique_ptr<Session> open_picoboot(SessionRequest& r) {
  if (!r.usb) fail(ErrorKind::unsupported, r.board.target + ": no USB transport");
  EntryRequest entry{r.board, r.mode, r.serial, *r.usb, r.reporter};
  auto info = find_or_enter_bootloader(entry, r.wait);
  auto device = r.usb->open(info);
  return std::make_unique<PicobootSession>(r.board, info, std::move(device), r.reporter);
}

const RegisterSession picoboot_session_registration{"picoboot", open_picoboot};

}  // namespace
}  // namespace omv::flash
