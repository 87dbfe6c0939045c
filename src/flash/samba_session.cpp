#include "flash/samba_session.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "core/error.h"
#include "core/numbers.h"
#include "flash/bootloader_entry.h"
#include "protocol/samba/crc16.h"
#include "transport/serial_lookup.h"

namespace omv::flash {
namespace {

using transport::Millis;

const boards::Memory& memory_of(const boards::Board& board, const boards::Partition& part) {
  const auto* m = board.memory(part.memory);
  if (!m) fail(ErrorKind::bad_board_data, board.target + ": partition " + part.name + " has no memory");
  return *m;
}

Millis erase_timeout(const boards::Memory& m, uint64_t bytes) {
  const uint64_t unit = m.erase_layout.empty() ? 4096 : m.erase_layout.front().size;
  const double per = m.timing.erase_max_ms > 0 ? m.timing.erase_max_ms : 100;
  return Millis(static_cast<int64_t>(static_cast<double>((bytes + unit - 1) / unit) * per * 1.5) + 3000);
}

Millis program_timeout(const boards::Memory& m, uint64_t bytes) {
  const uint64_t unit = m.program_unit ? m.program_unit : 4;
  const double us = m.timing.program_us_per_unit > 0 ? m.timing.program_us_per_unit : 100;
  return Millis(static_cast<int64_t>(static_cast<double>((bytes + unit - 1) / unit) * us * 3 / 1000) + 2000);
}

protocol::samba::ClientOptions client_options(const boards::Board& board) {
  protocol::samba::ClientOptions o;
  if (auto v = board.loader_number("samba_buffer_address")) o.buffer_address = static_cast<uint32_t>(*v);
  if (auto v = board.loader_number("samba_read_chunk")) o.read_chunk = static_cast<uint32_t>(*v);
  return o;
}

}  // namespace

SambaSession::SambaSession(const boards::Board& board, transport::UsbDeviceInfo device,
                           std::unique_ptr<transport::SerialPort> port, Reporter reporter)
    : board_(board),
      device_(std::move(device)),
      port_(std::move(port)),
      reporter_(std::move(reporter)),
      client_(*port_, client_options(board)),
      base_(board.loader_number("samba_address_base").value_or(0)) {
  client_.connect();
  // The right board answered? The bootloader names its chip.
  const auto want = board.loader.find("samba_chip");
  if (want != board.loader.end() && !client_.chip().empty() && client_.chip() != want->second)
    fail(ErrorKind::refused,
         fmt::format("{}: the bootloader says it runs on {}, but {} is a {}; nothing was written", port_->path(),
                     client_.chip(), board.target, want->second),
         "check the TARGET");
}

Capabilities SambaSession::capabilities() const {
  Capabilities c;
  c.can_read = true;
  c.explicit_erase = true;
  c.erase_to_end = true;
  c.write_alignment = 4;  // the nRF52 NVMC programs 32-bit words
  c.max_chunk = 4096;
  return c;
}

std::string SambaSession::describe() const {
  return fmt::format("{} bootloader {} on {}: {}{}", board_.name, format_usb_id(device_.id), port_->path(),
                     client_.version().text, client_.chip().empty() ? "" : ", " + client_.chip());
}

SessionIdentity SambaSession::identity() const {
  return {device_.serial, port_->path(), client_.version().text};
}

uint32_t SambaSession::loader_address(const boards::Partition& part, uint64_t address, uint64_t length,
                                      const char* what) const {
  if (address < part.start || length > part.size() || address - part.start > part.size() - length)
    fail(ErrorKind::refused,
         fmt::format("{} {}+{:#x} is outside partition {} ({}-{}); nothing was written", what, hex32(address), length,
                     part.name, hex32(part.start), hex32(part.end)));
  if (address < base_ || address + length - base_ > 0xFFFFFFFFull)
    fail(ErrorKind::refused,
         fmt::format("{} {}: below {}, where the SAM-BA bootloader's addressing starts; nothing was written", what,
                     hex32(address), hex32(base_)));
  return static_cast<uint32_t>(address - base_);
}

uint64_t SambaSession::erase_end(uint64_t from) const {
  uint64_t end = UINT64_MAX;
  for (const auto& p : board_.partitions)
    if (p.read_only && p.start >= from) end = std::min(end, p.start);
  for (const auto& m : board_.memories)
    if (from >= m.base && from < m.end()) end = std::min(end, m.end());
  return end;
}

void SambaSession::check_writable(const boards::Partition& part, uint64_t address, uint64_t length) {
  loader_address(part, address, length, "write");
  for (const auto& p : board_.partitions)
    if (p.read_only && p.memory == part.memory && address < p.end && p.start < address + length)
      fail(ErrorKind::refused,
           fmt::format("{}+{:#x} overlaps {} ({}-{}), which the bootloader protects; nothing was written",
                       hex32(address), length, p.name, hex32(p.start), hex32(p.end)));
}

std::vector<uint8_t> SambaSession::read(const boards::Partition& part, uint64_t address, size_t length,
                                        const std::function<void(size_t)>& on_progress) {
  const uint32_t at = loader_address(part, address, length, "read");
  return client_.read(at, static_cast<uint32_t>(length), [&](uint64_t done) {
    if (on_progress) on_progress(static_cast<size_t>(done));
  });
}

std::optional<bool> SambaSession::device_compare(const boards::Partition& part, uint64_t address,
                                                 std::span<const uint8_t> expected) {
  if (expected.empty()) return true;
  const uint32_t at = loader_address(part, address, expected.size(), "compare");
  // Two CRC-16s over the halves: a difference has to fool both to pass (about 1 in 2^32).
  const size_t half = expected.size() >= 8 ? expected.size() / 2 : expected.size();
  for (size_t off = 0; off < expected.size(); off += half) {
    const size_t n = std::min(half, expected.size() - off);
    const auto local = protocol::samba::crc16_xmodem(expected.subspan(off, n));
    const auto remote = client_.checksum(at + static_cast<uint32_t>(off), static_cast<uint32_t>(n), Millis(3000));
    if (local != remote) return false;
  }
  return true;
}

void SambaSession::erase(const boards::Partition& part, uint64_t address, uint64_t length) {
  const uint32_t at = loader_address(part, address, length, "erase");
  if (erased_from_ && address >= *erased_from_) return;  // the earlier X took this too
  if (written_end_ > address)
    fail(ErrorKind::failure,
         fmt::format("erasing {} would wipe what this session already wrote below {} (the bootloader erases to the end)",
                     hex32(address), hex32(written_end_)));
  const auto& m = memory_of(board_, part);
  const uint64_t end = erase_end(address);
  reporter_.info(fmt::format("erasing {}-{} (the bootloader erases to the end of the application area)",
                             hex32(address), hex32(end)));
  client_.erase_from(at, erase_timeout(m, end - address));
  erased_from_ = address;
}

void SambaSession::write(const boards::Partition& part, uint64_t address, std::span<const uint8_t> data) {
  const uint32_t at = loader_address(part, address, data.size(), "write");
  const auto& m = memory_of(board_, part);
  std::vector<uint8_t> padded;
  if (data.size() % 4) {
    padded.assign(data.begin(), data.end());
    padded.resize((data.size() + 3) / 4 * 4, 0xFF);
    data = padded;
  }
  client_.write(at, data, program_timeout(m, std::min<size_t>(data.size(), 4096)));
  written_end_ = std::max(written_end_, address + data.size());
}

void SambaSession::reset() {
  client_.reset();
  // Wait for the board to leave (its port goes away), so that the next command cannot catch
  // the bootloader's port in the moment before the reset.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
  uint8_t junk[64];
  try {
    while (std::chrono::steady_clock::now() < deadline) port_->read(junk, Millis(100));
  } catch (const Error&) {
    return;  // gone: reset done
  }
  reporter_.warn(fmt::format("{} is still there 2 s after the reset command", port_->path()));
}

namespace {

std::unique_ptr<Session> open_samba(SessionRequest& r) {
  if (!r.usb) fail(ErrorKind::unsupported, r.board.target + ": no USB transport to find its bootloader on");
  std::optional<transport::UsbDeviceInfo> device;
  // The double-tap bootloader is known under two product ids.
  for (const char* mode : {"bootloader", "bootloader_alt"}) {
    if (device) break;
    for (const auto& d : r.usb->enumerate())
      if (matches(r.board, mode, r.serial, d)) {
        device = d;
        break;
      }
  }
  if (!device) {
    EntryRequest entry{r.board, "bootloader", r.serial, *r.usb, r.reporter};
    device = find_or_enter_bootloader(entry, r.wait);
  }
  // The tty appears a little after the USB device does.
  std::optional<std::string> tty;
  for (int i = 0; i < 60 && !tty; ++i) {
    tty = transport::serial_port_of(*device);
    if (!tty) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!tty)
    fail(ErrorKind::no_device,
         fmt::format("{} bootloader {} has no serial port", r.board.target, format_usb_id(device->id)),
         "the cdc_acm driver must be loaded ('modprobe cdc_acm')");
  auto port = transport::open_serial_port(*tty, 921600);
  return std::make_unique<SambaSession>(r.board, *device, std::move(port), r.reporter);
}

const RegisterSession samba_session_registration{"samba", open_samba};

}  // namespace
}  // namespace omv::flash
