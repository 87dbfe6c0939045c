#include "flash/nxp_blhost_session.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/numbers.h"
#include "flash/bootloader_entry.h"

namespace omv::flash {
namespace {

constexpr uint32_t kWriteChunk = 256 * 1024;

}  // namespace

BlhostSession::BlhostSession(const boards::Board& board, ClaimedLoader loader, Reporter reporter)
    : board_(board), loader_(std::move(loader)), reporter_(std::move(reporter)), params_(nxp_loader_params(board)) {
  ensure_flexspi_configured(*loader_.client, params_, reporter_);
}

Capabilities BlhostSession::capabilities() const {
  Capabilities c;
  c.can_read = true;
  c.explicit_erase = true;
  c.write_alignment = 1;
  c.max_chunk = kWriteChunk;
  c.spans_units = true;
  return c;
}

std::string BlhostSession::describe() const {
  const auto& info = loader_.device->info();
  return fmt::format("{} bootloader {}{}, {}", board_.name, format_usb_id(info.id),
                     info.serial.empty() ? "" : " serial " + info.serial, version_string(loader_.version));
}

SessionIdentity BlhostSession::identity() const {
  const auto& info = loader_.device->info();
  return {info.serial, info.bus_port, version_string(loader_.version)};
}

void BlhostSession::check_range(const boards::Partition& part, uint64_t address, uint64_t length, const char* what) const {
  if (address < part.start || length > part.size() || address - part.start > part.size() - length)
    fail(ErrorKind::refused,
         fmt::format("{} {}+{} is outside partition {} ({}-{}); nothing was written", what, hex32(address), length,
                     part.name, hex32(part.start), hex32(part.end)));
}

std::vector<uint8_t> BlhostSession::read(const boards::Partition& part, uint64_t address, size_t length,
                                         const std::function<void(size_t)>& on_progress) {
  check_range(part, address, length, "read");
  return loader_.client->read_memory(static_cast<uint32_t>(address), static_cast<uint32_t>(length), 0,
                                     [&](uint64_t done) {
                                       if (on_progress) on_progress(static_cast<size_t>(done));
                                     });
}

void BlhostSession::erase(const boards::Partition& part, uint64_t address, uint64_t length) {
  check_range(part, address, length, "erase");
  for (uint64_t at = address; at < address + length; at += kNxpEraseStep) {
    uint64_t n = std::min(kNxpEraseStep, address + length - at);
    loader_.client->flash_erase_region(static_cast<uint32_t>(at), static_cast<uint32_t>(n), 0);
  }
}

void BlhostSession::write(const boards::Partition& part, uint64_t address, std::span<const uint8_t> data) {
  check_range(part, address, data.size(), "write");
  loader_.client->write_memory(static_cast<uint32_t>(address), data, 0);
}

void BlhostSession::finish(const boards::Partition&) {}

void BlhostSession::reset() { loader_.client->reset(); }

namespace {

[[noreturn]] void fail_missed_window(const boards::Board& board, UsbId id) {
  const auto params = nxp_loader_params(board);
  fail(ErrorKind::no_device,
       fmt::format("{} was reset, but its secure bootloader ({}) left for the firmware before omv could claim it: "
                   "its window after reset (about {} ms) was missed",
                   board.name, format_usb_id(id), params.sbl_window.count()),
       fmt::format("run the command again; if it keeps missing, fit the SBL jumper and run 'omv recover {} "
                   "--flashloader FILE --sbl FILE'",
                   board.target));
}

std::unique_ptr<Session> open_blhost(SessionRequest& request) {
  const auto& board = request.board;
  if (!request.hid) fail(ErrorKind::unsupported, board.target + ": no HID transport for its bootloader");
  const UsbId id = board.usb_id("flashloader").value_or(UsbId{0x15A2, 0x0073});
  // A camera running its firmware is reset (plainly: its secure bootloader runs after every
  // reset); the hook returns once the bootloader is on the bus, and it is claimed at once.
  bool entered = false;
  if (!find_hid(*request.hid, id, request.serial) && request.usb) {
    EntryRequest entry{board, "flashloader", request.serial, *request.usb, request.reporter};
    try {
      entered = run_entry_hooks(entry);
    } catch (const Error& e) {
      // The camera was reset but came back running its firmware: the window closed unseen.
      if (e.kind() != ErrorKind::timeout) throw;
      fail_missed_window(board, id);
    }
  }
  try {
    auto claimed = claim_mcu_bootloader(board, *request.hid, request.serial, request.reporter,
                                        entered ? std::chrono::milliseconds(0) : request.wait);
    return std::make_unique<BlhostSession>(board, std::move(claimed), request.reporter);
  } catch (const Error& e) {
    if (!entered || e.kind() != ErrorKind::no_device) throw;
    fail_missed_window(board, id);
  }
}

const RegisterSession nxp_blhost_session_registration{"nxp_sdp_blhost", open_blhost};

}  // namespace
}  // namespace omv::flash
