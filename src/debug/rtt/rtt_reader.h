#pragma once
// Reading SEGGER RTT from a target through any memory access path: find the control block (the
// ELF's _SEGGER_RTT, a given address, or a scan of RAM), then poll: read the block, take what
// the chosen up-buffer holds, store its new read offset, and put waiting input into down-buffer
// 0. A block that disappears or turns implausible (a reset, a stale block) is reported, and the
// caller finds it again.
#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "debug/rtt/control_block.h"

namespace omv::debug::rtt {

// The Cortex-M architecture's SRAM region: where RTT buffers may lie.
constexpr Range kSramRegion{0x20000000, 0x20000000};
// Scanned when neither the ELF nor --address says where the block is.
constexpr Range kDefaultScan{0x20000000, 0x20000};

class MemoryPort {
 public:
  virtual ~MemoryPort() = default;
  virtual std::vector<uint8_t> read(uint64_t address, size_t length) = 0;
  virtual void write(uint64_t address, std::span<const uint8_t> data) = 0;
  // Around each poll: a port that cannot reach memory while the core runs halts it in begin()
  // and lets it run again in end().
  virtual void begin() {}
  virtual void end() {}
};

struct Placement {
  std::optional<uint64_t> symbol;   // _SEGGER_RTT from the ELF
  std::optional<uint64_t> address;  // --address
  Range scan = kDefaultScan;
  std::vector<Range> ram{kSramRegion};
};

class Reader {
 public:
  Reader(MemoryPort& port, Placement placement, uint32_t channel);

  // The block's address, or nullopt with `where` saying where it looked (and what it found).
  std::optional<uint64_t> locate(std::string& where);

  struct Poll {
    std::string data;               // what the up-buffer held
    uint32_t sent = 0;              // bytes of input put into down-buffer 0
    uint32_t buffer_size = 0;
    std::optional<std::string> lost;  // the block is gone or implausible: why
  };
  Poll poll(std::span<const uint8_t> input);
  uint64_t address() const { return address_; }

 private:
  std::optional<uint64_t> scan(std::string& where);

  MemoryPort& port_;
  Placement placement_;
  uint32_t channel_;
  uint64_t address_ = 0;
  size_t block_bytes_ = kHeaderSize;  // learned from the counts once the block is found
};

// How often to poll: faster while the buffer fills, slower while it stays empty.
class PollRate {
 public:
  explicit PollRate(std::chrono::milliseconds fastest = std::chrono::milliseconds(2),
                    std::chrono::milliseconds slowest = std::chrono::milliseconds(50));
  void after(uint32_t bytes, uint32_t buffer_size);
  std::chrono::milliseconds interval() const { return interval_; }

 private:
  std::chrono::milliseconds fastest_, slowest_, interval_;
};

}  // namespace omv::debug::rtt
