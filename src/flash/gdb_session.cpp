#include "flash/gdb_session.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "core/numbers.h"
#include "protocol/gdb/crc32.h"

namespace omv::flash {
namespace {

// The region read to check the server's qCRC: small enough to cost one packet.
constexpr uint64_t kCrcCheckBytes = 256;

bool says_unknown_command(const std::string& output) {
  return output.find("unknown command") != std::string::npos || output.find("Unknown command") != std::string::npos ||
         output.find("invalid command") != std::string::npos;
}

}  // namespace

GdbSession::GdbSession(protocol::gdb::Client& client, const GdbTargetView& view, Reporter& reporter)
    : client_(client), view_(view), reporter_(reporter) {}

Capabilities GdbSession::capabilities() const {
  Capabilities caps;
  caps.can_read = true;
  caps.explicit_erase = true;  // only memories the map calls flash have erase units in the view
  caps.max_chunk = 16 * 1024;  // the client splits each write into the server's packets
  return caps;
}

std::string GdbSession::describe() const { return client_.server(); }

std::vector<uint8_t> GdbSession::read(const boards::Partition& part, uint64_t address, size_t length,
                                      const std::function<void(size_t)>& on_progress) {
  if (reset_before_read_back_ && written_since_reset_) {
    client_.monitor("reset");
    written_since_reset_ = false;
    reporter_.info(client_.server() + " was reset before reading back: a server that programs X writes itself "
                   "(J-Link) answers reads of what it downloaded from its cache until then");
  }
  return client_.read_memory(view_.cpu_address(part, address), length,
                             [&](uint64_t n) { if (on_progress) on_progress(static_cast<size_t>(n)); });
}

bool GdbSession::check_crc(uint64_t cpu_address, uint64_t length) {
  const uint64_t n = std::min(length, kCrcCheckBytes);
  auto bytes = client_.read_memory(cpu_address, n);
  auto reply = client_.crc(cpu_address, n);
  ++crc_requests_;
  const uint32_t expected = protocol::gdb::gdb_crc32(bytes);
  if (!reply.crc) {
    if (reply.reply.empty())
      reporter_.info(client_.server() + " has no qCRC: comparing each unit by reading it");
    else
      reporter_.warn(fmt::format("{} answered \"{}\" to qCRC: comparing each unit by reading it", client_.server(),
                                 reply.reply.substr(0, std::min<size_t>(reply.reply.size(), 40))));
    return false;
  }
  if (*reply.crc != expected) {
    reporter_.warn(fmt::format("{} gave qCRC 0x{:08x} for {} bytes at {}, but the bytes read there give 0x{:08x}: "
                               "its qCRC is wrong; comparing each unit by reading it",
                               client_.server(), *reply.crc, n, hex32(cpu_address), expected));
    return false;
  }
  return true;
}

std::optional<bool> GdbSession::device_compare(const boards::Partition& part, uint64_t address,
                                               std::span<const uint8_t> expected) {
  if (expected.empty()) return std::nullopt;
  const uint64_t at = view_.cpu_address(part, address);
  if (compare_ == Compare::undecided) compare_ = check_crc(at, expected.size()) ? Compare::crc : Compare::read;
  if (compare_ == Compare::read) return std::nullopt;
  auto reply = client_.crc(at, expected.size());
  ++crc_requests_;
  if (!reply.crc) return std::nullopt;  // refused here (E reply): read this one
  return *reply.crc == protocol::gdb::gdb_crc32(expected);
}

void GdbSession::erase(const boards::Partition& part, uint64_t address, uint64_t length) {
  if (!view_.of(part).flash_packets) return;
  client_.flash_erase(view_.cpu_address(part, address), length);
}

void GdbSession::write(const boards::Partition& part, uint64_t address, std::span<const uint8_t> data) {
  const uint64_t at = view_.cpu_address(part, address);
  last_write_address_ = at;
  last_write_.assign(data.begin(), data.end());
  written_since_reset_ = true;
  if (view_.of(part).flash_packets) {
    client_.flash_write(at, data);
    flash_written_ = true;
  } else {
    client_.write_memory(at, data);
  }
}

void GdbSession::finish(const boards::Partition&) {
  // probe-rs refuses a vFlashDone with no vFlashWrite before it; erases alone are done already.
  if (!flash_written_) return;
  client_.flash_done();
  flash_written_ = false;
}

void GdbSession::reset() {
  auto said = client_.monitor("reset");
  bool qemu_reset = false;
  if (said && says_unknown_command(*said)) {
    said = client_.monitor("system_reset");
    qemu_reset = said && !says_unknown_command(*said);
  }
  if (!said)
    reporter_.warn(client_.server() + " has no monitor commands: the target was not reset");
  else if (says_unknown_command(*said))
    reporter_.warn(fmt::format("{} knows neither `monitor reset` nor `monitor system_reset`: the target was not reset",
                               client_.server()));
  else
    reporter_.info("reset the target through " + client_.server());
  if (qemu_reset && !last_write_.empty() &&
      client_.read_memory(last_write_address_, last_write_.size()) != last_write_)
    reporter_.warn(fmt::format("after the reset, {} holds other bytes at {} than were deployed: QEMU copied its "
                               "-kernel/loader images there again (start QEMU without them, or deploy with --no-reset)",
                               client_.server(), hex32(last_write_address_)));
  client_.detach();
}

}  // namespace omv::flash
