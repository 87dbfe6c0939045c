#pragma once
// The device side of the NXP MCU bootloader protocol as the RT1062's flashloader and secure
// bootloader run it: command packets in HID reports, data phases both ways, status codes, over
// the external FlexSPI NOR flash (a FlashMemory), on-chip RAM and the fuse bank.
//
// Behaviour the host has to get right, as on the real part:
//  - FlexSPI must be configured (fill-memory an option word into RAM, configure-memory 9) before
//    the external flash can be erased, written or read: MemoryNotConfigured otherwise. The
//    secure bootloader runs from that flash, so it starts configured.
//  - The option word 0xF000000F asks for the flash configuration block (FCB) to be programmed at
//    the start of the flash from the current configuration.
//  - Erase regions must start on a 4 KiB sector (MemoryAlignmentError); the length is rounded
//    up to whole sectors. Erase and program cost the board's flash timing.
//  - Programming only clears bits: writing over data that was not erased corrupts it.
//  - Fuses are one-time programmable (see NxpFuseBank).
#include <nlohmann/json.hpp>

#include <cstdint>
#include <deque>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "protocol/nxp/mboot_frame.h"
#include "sim/flash_memory.h"
#include "sim/models/nxp_fuse_bank.h"
#include "sim/models/nxp_ram.h"

namespace omv::sim {

struct NxpMbootConfig {
  uint32_t version = 0x4B020800;     // "K2.8.0", what the IDE checks
  uint32_t max_packet_size = 1012;   // bytes per data report (high-speed builds of the flashloader)
  bool flexspi_configured = false;   // the SBL boots from the flash: configured from the start
};

class NxpMbootTarget {
 public:
  NxpMbootTarget(FlashMemory& flash, NxpRam& ram, NxpFuseBank& fuses, NxpMbootConfig config);

  // A report the host wrote (report id first).
  void receive(std::span<const uint8_t> report);
  // The next report for the host, if any.
  std::optional<std::vector<uint8_t>> next_report();
  bool reset_requested() const { return reset_requested_; }
  bool has_output() const { return !out_.empty(); }
  uint64_t commands() const { return commands_; }
  bool flexspi_configured() const { return configured_; }
  nlohmann::json stats() const;
  // Fault injection: the next data report of a write fails to program (the device aborts).
  bool fail_next_write = false;

  // The FCB this flashloader writes for the board's flash (also used to recognise one).
  static std::vector<uint8_t> make_fcb(uint64_t flash_size, uint32_t page_size, uint32_t sector_size);
  static bool looks_like_fcb(std::span<const uint8_t> bytes);

 private:
  using Packet = protocol::nxp::mboot::Packet;

  void command(const Packet& p);
  void data_out(std::span<const uint8_t> payload);
  void generic(uint32_t status, uint8_t tag);
  void respond(Packet p);
  // Status of an access to [addr, addr+len) of memory id `mem`, for flash or RAM.
  uint32_t check_access(uint32_t addr, uint32_t len, uint32_t mem, bool* is_flash) const;

  uint32_t erase_region(uint32_t addr, uint32_t len, uint32_t mem);
  uint32_t erase_all(uint32_t mem);
  void write_memory(const Packet& p);
  void read_memory(const Packet& p);
  uint32_t fill_memory(uint32_t addr, uint32_t len, uint32_t pattern);
  uint32_t configure_memory(uint32_t mem, uint32_t config_address);
  void get_property(const Packet& p);
  void program_once(const Packet& p);
  void read_once(const Packet& p);
  void flush_pages(bool all);
  void abort_data_phase(uint32_t status);

  FlashMemory& flash_;
  NxpRam& ram_;
  NxpFuseBank& fuses_;
  NxpMbootConfig config_;
  bool configured_;
  uint32_t option_word_ = 0;
  std::deque<std::vector<uint8_t>> out_;

  // host->device data phase
  bool receiving_ = false;
  bool receiving_flash_ = false;
  uint32_t write_at_ = 0, write_left_ = 0;
  uint32_t page_base_ = 0;
  std::vector<uint8_t> page_;  // bytes waiting to be programmed as whole pages

  bool reset_requested_ = false;
  uint64_t commands_ = 0;
  uint64_t stray_data_reports_ = 0;
  uint64_t bad_reports_ = 0;
  uint64_t aborts_ = 0;
  std::map<std::string, uint64_t> by_command_;
  std::map<std::string, uint64_t> by_status_;
};

}  // namespace omv::sim
