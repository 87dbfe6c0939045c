#pragma once
// One memory of a virtual camera, backed by a plain file (BUS/<serial>/<memory>.bin) so anyone
// can look at what is "on the camera". It behaves like the real part:
//  - erased state is 0xFF; erase works on whole erase units from the board data;
//  - programming can only clear bits (new = old AND data): a host that skips an erase gets
//    visibly corrupt data, and the counters say so;
//  - memories without an erase layout (MRAM) are overwritten directly;
//  - every erase and program costs device time from the board's FlashTiming, collected for the
//    host (which sleeps it, scaled) and summed for `omv sim stats`.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "boards/board.h"

namespace omv::sim {

struct FlashCounters {
  uint64_t erases = 0;               // erase operations (units)
  uint64_t bytes_erased = 0;
  uint64_t program_ops = 0;          // program calls
  uint64_t bytes_programmed = 0;
  uint64_t bytes_read = 0;
  uint64_t bits_not_erased = 0;      // programmed 1-bits that stayed 0 (program without erase)
  std::chrono::nanoseconds erase_time{0};
  std::chrono::nanoseconds program_time{0};
};

class FlashMemory {
 public:
  // Opens (or creates, filled with 0xFF) the backing file of `memory`. An existing file of the
  // right size is kept, so a camera's contents persist across restarts.
  FlashMemory(const boards::Memory& memory, const std::filesystem::path& file);
  ~FlashMemory();
  FlashMemory(const FlashMemory&) = delete;
  FlashMemory& operator=(const FlashMemory&) = delete;

  const boards::Memory& memory() const { return memory_; }
  const std::filesystem::path& file() const { return file_; }
  bool contains(uint64_t addr, uint64_t length) const;
  bool has_erase() const { return !memory_.erase_layout.empty(); }

  // Addresses are in the memory's own addressing (memory().base .. memory().end()).
  std::vector<uint8_t> read(uint64_t addr, size_t length);
  // Erases the erase unit that contains addr; returns that unit. No-op for memories without erase.
  boards::Memory::Unit erase_unit(uint64_t addr);
  bool is_unit_start(uint64_t addr) const;
  // Programs data at addr (AND semantics on erasable memories; overwrite otherwise).
  void program(uint64_t addr, std::span<const uint8_t> data);
  // Mass erase of the whole memory.
  void erase_all();

  // Device time accumulated since the last call (for the host's timing model).
  std::chrono::nanoseconds take_busy_time();
  const FlashCounters& counters() const { return counters_; }
  // The same chip seen by the next host after a mode handover keeps counting.
  void carry_counters(const FlashCounters& c) { counters_ = c; }
  nlohmann::json stats() const;

  // Time one erase of `unit_size` bytes / one program of `length` bytes takes (typical figures).
  std::chrono::nanoseconds erase_cost(uint64_t unit_size) const;
  std::chrono::nanoseconds program_cost(uint64_t length) const;

 private:
  uint8_t* at(uint64_t addr) { return data_ + (addr - memory_.base); }

  boards::Memory memory_;
  std::filesystem::path file_;
  int fd_ = -1;
  uint8_t* data_ = nullptr;
  size_t size_ = 0;
  FlashCounters counters_;
  std::chrono::nanoseconds pending_{0};
};

// Every memory of one board, each in state_dir/<name>.bin.
class MemoryBank {
 public:
  MemoryBank(const boards::Board& board, const std::filesystem::path& state_dir);
  FlashMemory* find(const std::string& name);
  // The first memory whose address range holds [addr, addr+length). Memories may share an
  // address space (QSPI offsets from 0): models that know the memory use find(name).
  FlashMemory* at(uint64_t addr, uint64_t length = 1);
  std::vector<std::unique_ptr<FlashMemory>>& all() { return memories_; }
  std::chrono::nanoseconds take_busy_time();
  nlohmann::json stats() const;
  std::map<std::string, FlashCounters> counters() const;
  void carry_counters(const std::map<std::string, FlashCounters>& counters);

 private:
  std::vector<std::unique_ptr<FlashMemory>> memories_;
};

}  // namespace omv::sim
