#pragma once
// The flash executor's Session over a GDB server: reads with m, writes with vFlash* on memories
// the server maps as flash and X/M elsewhere, compares units on the target with qCRC when the
// server's CRC is proven right (checked once against a read of a small region; a wrong or
// missing qCRC means comparing by reading, with a warning when the answer was wrong), and
// resets through the server's monitor commands.
#include <optional>
#include <string>

#include "core/events.h"
#include "flash/gdb_target_view.h"
#include "flash/session.h"
#include "protocol/gdb/client.h"

namespace omv::flash {

class GdbSession : public Session {
 public:
  GdbSession(protocol::gdb::Client& client, const GdbTargetView& view, Reporter& reporter);

  Capabilities capabilities() const override;
  std::string describe() const override;
  std::vector<uint8_t> read(const boards::Partition& part, uint64_t address, size_t length,
                            const std::function<void(size_t)>& on_progress) override;
  std::optional<bool> device_compare(const boards::Partition& part, uint64_t address,
                                     std::span<const uint8_t> expected) override;
  void erase(const boards::Partition& part, uint64_t address, uint64_t length) override;
  void write(const boards::Partition& part, uint64_t address, std::span<const uint8_t> data) override;
  void finish(const boards::Partition& part) override;
  // `monitor reset` (QEMU's monitor calls it `system_reset`), then detach: the target runs.
  // After QEMU's reset the last write is read back: QEMU copies its -kernel and loader images
  // again on a reset, which would silently undo the deploy.
  void reset() override;

  // Whether units were compared with qCRC (after the check), with reads, or not yet decided.
  enum class Compare { undecided, crc, read };
  Compare compare_method() const { return compare_; }
  // A server that takes X into flash without a memory map (J-Link) may answer reads of what it
  // downloaded from its own cache: it is reset before the first read after a write, so that a
  // read-back comes from the chip.
  void reset_before_read_back(bool on) { reset_before_read_back_ = on; }
  uint64_t crc_requests() const { return crc_requests_; }

 private:
  bool check_crc(uint64_t cpu_address, uint64_t length);

  protocol::gdb::Client& client_;
  const GdbTargetView& view_;
  Reporter& reporter_;
  Compare compare_ = Compare::undecided;
  uint64_t crc_requests_ = 0;
  bool flash_written_ = false;  // vFlashWrite sent since the last vFlashDone
  bool reset_before_read_back_ = false;
  bool written_since_reset_ = false;
  // The last write (at most max_chunk), to see whether a reset put other bytes there.
  uint64_t last_write_address_ = 0;
  std::vector<uint8_t> last_write_;
};

}  // namespace omv::flash
