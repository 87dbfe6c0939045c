#include "flash/nxp_blhost_session.h"

#include <fmt/format.h>

#include "core/error.h"
#include "core/numbers.h"

namespace omv::flash {
namespace {

// One erase command covers at most this much, so a long erase reports progress as it goes and
// no single command comes near the erase timeout.
constexpr uint64_t kEraseStep = 256 * 1024;
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
  return c;
}

std::string BlhostSession::describe() const {
  const auto& info = loader_.device->info();
  return fmt::format("{} bootloader {}{}, {}", board_.name, format_usb_id(info.id),
                     info.serial.empty() ? "" : " serial " + info.serial, version_string(loader_.version));
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
  for (uint64_t at = address; at < address + length; at += kEraseStep) {
    uint64_t n = std::min(kEraseStep, address + length - at);
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

std::unique_ptr<Session> open_blhost(SessionRequest& request) {
  if (!request.hid) fail(ErrorKind::unsupported, request.board.target + ": no HID transport for its bootloader");
  // Waiting at least the secure bootloader's window lets a user reset the camera after starting omv.
  auto claimed = claim_mcu_bootloader(request.board, *request.hid, request.serial, request.reporter, request.wait);
  return std::make_unique<BlhostSession>(request.board, std::move(claimed), request.reporter);
}

const RegisterSession registered{"nxp_sdp_blhost", open_blhost};

}  // namespace
}  // namespace omv::flash
