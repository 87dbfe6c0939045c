#pragma once
// The server side of the GDB Remote Serial Protocol: what a debug probe's GDB server does for a
// Cortex-M target, as a state machine over a StubTarget. Bytes in, bytes out (feed); no sockets,
// threads or clocks. The behaviours real servers differ in (memory map, when flash is erased,
// what vFlashDone does, qCRC, run-length replies, monitor words) come from a StubFlavour.
//
// What it serves: qSupported, no-ack mode, the memory map and an M-profile target description,
// m/M/X, vFlashErase/vFlashWrite/vFlashDone, qCRC, registers (g/G/p/P), run control (?, c, s,
// vCont, 0x03, D, k), thread queries, and monitor reset/halt/resume words. Unknown packets get the
// empty reply, as the protocol asks.
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/gdb/memory_map.h"
#include "protocol/gdb/packet.h"
#include "protocol/gdb/stub_flavour.h"

namespace omv::protocol::gdb {

// The chip behind the probe.
class StubTarget {
 public:
  enum class Access {
    probe,    // through the debug port (costs transfer time)
    on_chip,  // by code the server runs on the target (qCRC, smart-flash compares)
  };
  virtual ~StubTarget() = default;
  // Sorted, not overlapping; flash regions carry their erase block size.
  virtual std::vector<MemoryRegion> regions() const = 0;
  // False when any byte lies outside every region.
  virtual bool read(uint64_t address, std::span<uint8_t> out, Access access) = 0;
  // Directly writable memory (RAM); false elsewhere.
  virtual bool write(uint64_t address, std::span<const uint8_t> data) = 0;
  // One flash block starting at `address`; false when that is not a block start.
  virtual bool erase_block(uint64_t address) = 0;
  // Programs flash (bits can only be cleared); false outside flash.
  virtual bool program(uint64_t address, std::span<const uint8_t> data) = 0;
  // The core restarts from its vector table.
  virtual void reset() {}
};

struct StubCounters {
  std::map<std::string, uint64_t> packets;  // by command: "m", "X", "vFlashWrite", "qCRC", "qRcmd"...
  uint64_t blocks_erased = 0;
  uint64_t bytes_programmed = 0;
  uint64_t blocks_skipped = 0;       // smart flash or a J-Link download found a block unchanged
  uint64_t bytes_read = 0;           // m
  uint64_t bytes_written_ram = 0;    // M/X outside flash
  uint64_t resets = 0;
  uint64_t ignored_while_running = 0;
  uint64_t checksum_errors = 0;
};

class Stub {
 public:
  struct Output {
    std::string bytes;
    bool close = false;  // the server ends the connection (k, a dropped-connection fault)
  };
  // Faults the sim arms: returns true once when a fault of that kind should happen now
  // ("probe_drop", "probe_error", "probe_silent", "probe_bad_crc").
  using FaultHook = std::function<bool(std::string_view kind)>;

  Stub(StubTarget& target, const StubFlavour& flavour);
  void set_fault_hook(FaultHook hook) { fault_ = std::move(hook); }

  // A new connection: ack mode, the core halted (every documented server halts on connect),
  // nothing staged.
  void connected();
  Output feed(std::span<const uint8_t> bytes);
  // The connection went away: what the server does then (commits nothing staged, lets the core run).
  void disconnected();

  const StubCounters& counters() const { return counters_; }
  const StubFlavour& flavour() const { return flavour_; }
  bool halted() const { return !running_; }
  std::string memory_map_xml() const;

 private:
  void handle(const std::string& payload, Output& out);
  void reply(Output& out, std::string payload);
  void handle_memory_read(const std::string& args, Output& out);
  void handle_memory_write(char kind, const std::string& payload, Output& out);
  void handle_flash(const std::string& payload, Output& out);
  void handle_monitor(const std::string& command, Output& out);
  void handle_xfer(const std::string& payload, Output& out);
  void handle_crc(const std::string& args, Output& out);
  bool flash_done();
  void stage_download(uint64_t address, std::span<const uint8_t> data);
  void commit_download();
  bool write_block(uint64_t block, const std::vector<uint8_t>& content, bool skip_if_same);
  const MemoryRegion* region_at(uint64_t address) const;
  void core_reset();

  StubTarget& target_;
  StubFlavour flavour_;
  FaultHook fault_;
  PacketReader reader_;
  std::vector<MemoryRegion> regions_;
  StubCounters counters_;
  bool acks_ = true;
  bool running_ = false;
  bool silent_ = false;
  std::string last_reply_;  // resent on a '-'
  std::vector<uint32_t> registers_ = std::vector<uint32_t>(17, 0);  // r0-r12, sp, lr, pc, xpsr
  // vFlash* state between vFlashDone packets.
  std::vector<std::pair<uint64_t, std::vector<uint8_t>>> staged_;
  std::vector<uint64_t> erased_blocks_;  // erased (or, deferred, to erase) since the last vFlashDone
  bool erase_seen_ = false;
  // J-Link: X/M into flash are collected per block and programmed before anything else is done.
  std::map<uint64_t, std::vector<uint8_t>> download_;
  std::map<uint64_t, std::vector<uint8_t>> read_cache_;
};

// The target description the stub serves (qXfer:features:read:target.xml).
std::string m_profile_target_xml();

}  // namespace omv::protocol::gdb
