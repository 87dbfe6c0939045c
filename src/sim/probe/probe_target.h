#pragma once
// The chip as the virtual probe sees it over SWD: the board's memories at their CPU addresses
// (the same file-backed FlashMemory the bootloader models write), a RAM region, and the time
// each access costs on real hardware. Flash erase and program time come from the board data
// (FlashMemory charges it); transfer time over SWD from a documented probe speed:
//
//   kSwdClockHz  4 MHz, the default SWD clock of OpenOCD's ST-LINK/CMSIS-DAP configs and J-Link
//   kSwdBitsPerWord  46 clocks per 32-bit access: 8 request, 1 turnaround, 3 ack, 32 data,
//                    1 parity, 1 turnaround (ARM ADIv5 SW-DP), with no idle cycles
//
// i.e. about 348 KB/s. Code the server runs on the target (OpenOCD's qCRC routine, pyOCD's
// sector compare) reads at kOnChipBytesPerSecond instead.
#include <chrono>
#include <cstdint>
#include <vector>

#include "boards/board.h"
#include "protocol/gdb/stub.h"
#include "sim/flash_memory.h"

namespace omv::sim {

constexpr uint64_t kSwdClockHz = 4'000'000;
constexpr uint64_t kSwdBitsPerWord = 46;
constexpr uint64_t kOnChipBytesPerSecond = 50'000'000;
// Every supported Cortex-M has data RAM (DTCM or SRAM) at 0x20000000; the probe offers 128 KiB.
constexpr uint64_t kProbeRamBase = 0x20000000;
constexpr uint64_t kProbeRamSize = 128 * 1024;

class ProbeTarget : public protocol::gdb::StubTarget {
 public:
  // The memories carry the board data they were made from.
  explicit ProbeTarget(MemoryBank& memories);

  std::vector<protocol::gdb::MemoryRegion> regions() const override { return regions_; }
  bool read(uint64_t address, std::span<uint8_t> out, Access access) override;
  bool write(uint64_t address, std::span<const uint8_t> data) override;
  bool erase_block(uint64_t address) override;
  bool program(uint64_t address, std::span<const uint8_t> data) override;

  // Transfer and on-chip time since the last call (flash time is in the MemoryBank's).
  std::chrono::nanoseconds take_busy_time();
  std::chrono::nanoseconds swd_time() const { return swd_total_; }
  std::chrono::nanoseconds on_chip_time() const { return on_chip_total_; }

 private:
  struct Mapping {
    FlashMemory* memory = nullptr;  // null: the probe's RAM
    uint64_t cpu_base = 0;
    uint64_t size = 0;
  };
  const Mapping* mapping_at(uint64_t address, uint64_t length) const;
  void charge(uint64_t bytes, Access access);

  std::vector<Mapping> mappings_;
  std::vector<protocol::gdb::MemoryRegion> regions_;
  std::vector<uint8_t> ram_ = std::vector<uint8_t>(kProbeRamSize, 0);
  std::chrono::nanoseconds pending_{0};
  std::chrono::nanoseconds swd_total_{0};
  std::chrono::nanoseconds on_chip_total_{0};
};

}  // namespace omv::sim
