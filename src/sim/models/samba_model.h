#pragma once
// The Arduino Nano 33 BLE bootloader as a device model: the SAM-BA monitor dialect bossac speaks
// with it (protocols notes 6), over the board's flash.
//
// - Text commands: hex digits accumulate a number, ',' moves it to the address, any other
//   character is the command letter, '#' executes. `S` is followed by raw data.
// - Addressing: flash commands (X, Y destination, Z, R, w/o/h below the SRAM) use the
//   bootloader's addressing, flash = address + samba_address_base (0x10000 on this board, so
//   bossac --offset=0x16000 lands at 0x26000). `S`, `W` and the `Y` source address the RAM: small
//   addresses are offsets into the bootloader's receive buffer (as bossac's own nRF build uses
//   them), 0x2000_0000.. is the chip's SRAM (as upstream bossac uses it).
// - X erases from its address up to the next read-only partition (the bootloader at 0xE0000);
//   Y programs without erasing (flash AND semantics). Either one reaching into a read-only
//   partition (MBR, SoftDevice, bootloader) or past the flash is refused with "E\n\r" and
//   changes nothing. Y needs word alignment.
// - K, or the Cortex-M reset word written to AIRCR, resets the board: it leaves the bootloader.
// - Upstream bossac (Debian's 1.9.1 has no `I#`) identifies chips only by reading SAM
//   identification registers. The real bootloader's answers to those reads are not known (its
//   source is closed); the model answers the Cortex-M CPUID honestly and the SAM device-id
//   register with a SAMD51 id, so that an unpatched bossac takes its generic X/Y/Z path and
//   can be used as an independent cross-check. Patched bossac and omv use `I#`.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "boards/board.h"
#include "sim/flash_memory.h"
#include "sim/models/serial_model.h"

namespace omv::sim {

struct SambaModelConfig {
  uint32_t address_base = 0x10000;
  std::string version = "Arduino Bootloader (SAM-BA extended) 2.0 [Arduino:IKXYZ]";
  std::string chip = "nRF52840-QIAA";
  uint32_t sram_base = 0x20000000;
  uint32_t sram_size = 0x40000;
  uint32_t buffer_size = 0x2000;  // the bootloader's receive buffer (low S/Y-source addresses)
  struct Range {
    uint64_t start = 0, end = 0;
    std::string name;
  };
  std::vector<Range> protected_ranges;  // flash addressing, never written or erased
  transport::UsbDeviceInfo usb;

  // From the board: loader keys samba_address_base, samba_version, samba_chip, samba_sram_base,
  // samba_sram_size; read-only partitions of the firmware's memory; the "bootloader" USB id.
  static SambaModelConfig from_board(const boards::Board& board, const std::string& serial);
};

// The memory the SAM-BA bootloader writes: the memory of the board's firmware partition.
const boards::Memory& samba_flash_memory(const boards::Board& board);

// A fresh virtual board's flash has something in its read-only partitions, as a real one has
// its MBR, SoftDevice and bootloader there: "<NAME>@<address>" text lines, so a hex dump shows
// at once whether anything there changed. Writes `file` only when it does not exist yet.
void seed_samba_flash(const boards::Board& board, const std::filesystem::path& file);
// The same for a camera's state folder (its <memory>.bin).
void seed_samba_flash_of_camera(const boards::Board& board, const std::filesystem::path& state_dir);

class SambaModel : public SerialDeviceModel {
 public:
  SambaModel(SambaModelConfig config, FlashMemory& flash);

  transport::UsbDeviceInfo identity() const override { return config_.usb; }
  std::vector<uint8_t> receive(std::span<const uint8_t> bytes, uint32_t baud) override;
  std::optional<std::string> take_mode_change() override;
  nlohmann::json stats() const override;

  bool reset_requested() const { return reset_; }

 private:
  void execute(std::vector<uint8_t>& out);
  void refuse(std::vector<uint8_t>& out, const std::string& why);
  std::vector<uint8_t> read_memory(uint32_t address, uint32_t size);
  // RAM side: the receive buffer or SRAM. nullptr when [address, +size) is neither.
  uint8_t* ram(uint32_t address, uint32_t size);
  // Flash side: the flash address for a bootloader address, or nullopt past the flash.
  std::optional<uint64_t> flash_address(uint32_t address, uint32_t size) const;
  const SambaModelConfig::Range* protected_overlap(uint64_t start, uint64_t end) const;
  uint64_t erase_limit(uint64_t from) const;
  void erase_from(uint32_t address, std::vector<uint8_t>& out);
  void copy_to_flash(uint32_t address, uint32_t size, std::vector<uint8_t>& out);

  SambaModelConfig config_;
  FlashMemory& flash_;
  std::vector<uint8_t> buffer_;
  std::vector<uint8_t> sram_;

  // Parser state.
  uint32_t number_ = 0;
  uint32_t address_ = 0;
  uint8_t letter_ = 0;
  uint32_t data_left_ = 0;   // raw bytes of an S command still to come
  uint32_t data_at_ = 0;
  uint32_t copy_source_ = 0; // Y source
  bool reset_ = false;
  bool mode_change_reported_ = false;

  // Counters.
  std::map<std::string, uint64_t> commands_;
  uint64_t refused_ = 0;
  std::string last_refusal_;
  uint64_t bytes_loaded_ = 0;     // S data
  uint64_t bytes_copied_ = 0;     // Y into flash
  uint64_t bytes_sent_ = 0;       // R, w, o, h
  uint64_t data_discarded_ = 0;   // S data that had nowhere to go
  uint64_t ignored_bytes_ = 0;
};

}  // namespace omv::sim
