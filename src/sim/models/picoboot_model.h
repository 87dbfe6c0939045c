#pragma once
// The RP2040 boot ROM in BOOTSEL mode as a device model (protocols notes 7; the ROM's
// usb_boot_device.c / async_task.c behaviour): the PICOBOOT vendor interface over bulk
// endpoints 0x03/0x84 and, optionally, the RPI-RP2 drive as a folder.
//
// - Commands are checked as the ROM checks them (magic, known id, exact bCmdSize, transfer length);
//   any failure stalls both bulk endpoints until INTERFACE_RESET or CLEAR_FEATURE, and
//   GET_COMMAND_STATUS tells why, by code.
// - FLASH_ERASE needs 4 KiB alignment, flash WRITE/READ 256-byte-aligned addresses, all inside
//   0x10000000..0x11000000 (flash) or the SRAM; flash is programmed without erasing (AND).
// - Until EXIT_XIP the QSPI flash is not connected to the ROM's flash routines: erases and
//   writes are accepted but change nothing (a host that forgets EXIT_XIP sees it on read-back).
// - REBOOT is acknowledged, then the chip leaves BOOTSEL (mode "app").
// - The drive: BUS/<serial>/drive/ holds INFO_UF2.TXT and INDEX.HTM while the chip is in
//   BOOTSEL. A .uf2 file dropped there is taken block by block like the ROM does (RP2040
//   family, main flash, 256-byte payloads, aligned, flash or RAM but not both); once every block
//   of the file has been written the chip reboots. Drive writes are refused during exclusive access.
#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "protocol/picoboot/command.h"
#include "sim/flash_memory.h"
#include "sim/model.h"
#include "sim/model_registry.h"

namespace omv::sim {

struct PicobootModelConfig {
  transport::UsbDeviceInfo usb;
  uint32_t family = 0xE48BFF56;             // UF2 family the ROM accepts
  std::filesystem::path drive;              // empty: no drive folder
  static PicobootModelConfig from_board(const boards::Board& board, const std::string& serial,
                                        const std::filesystem::path& state_dir);
};

std::string rp2040_info_uf2();  // the INFO_UF2.TXT text of the RP2040 ROM

class PicobootModel : public UsbDeviceModel {
 public:
  PicobootModel(PicobootModelConfig config, FlashMemory& flash, FaultPlan* faults = nullptr);
  ~PicobootModel() override;

  std::optional<transport::UsbDeviceInfo> identity() const override;
  Reply control(const SetupPacket& setup, std::span<const uint8_t> out_data) override;
  Reply bulk_out(uint8_t endpoint, std::span<const uint8_t> data) override;
  Reply bulk_in(uint8_t endpoint, size_t max_length) override;
  void bus_reset() override;
  nlohmann::json stats() const override;
  std::optional<std::string> take_mode_change() override;
  // The drive is looked at every 100 ms of host time, as a USB host writes a file to it.
  std::optional<std::chrono::steady_clock::time_point> next_tick() const override;
  void tick() override { poll_drive(); }

  // Takes any UF2 files dropped into the drive folder (also done before every request).
  void poll_drive();

 private:
  enum class Phase { idle, data_out, data_in, ack_in, ack_out };
  void start(const protocol::picoboot::Command& command);
  uint32_t execute(const protocol::picoboot::Command& command, std::span<const uint8_t> data,
                   std::vector<uint8_t>* in);
  void finish(uint32_t code);
  void stall(uint32_t code);
  bool is_flash(uint32_t address) const;
  bool is_ram(uint32_t address) const;
  uint8_t* ram_at(uint32_t address) { return ram_.data() + (address - kRamBase); }
  void create_drive();
  void remove_drive();
  void take_uf2(const std::filesystem::path& file);

  static constexpr uint32_t kRamBase = 0x20000000;
  static constexpr uint32_t kRamSize = 0x42000;

  PicobootModelConfig config_;
  FlashMemory& flash_;
  FaultPlan* faults_;
  std::vector<uint8_t> ram_;
  Phase phase_ = Phase::idle;
  protocol::picoboot::Command command_;
  std::vector<uint8_t> data_;
  size_t data_sent_ = 0;
  bool halted_out_ = false, halted_in_ = false;
  protocol::picoboot::CommandStatus status_;
  uint8_t exclusive_ = 0;
  bool xip_exited_ = false;
  bool reboot_after_ack_ = false;
  bool rebooting_ = false;
  bool mode_change_reported_ = false;

  // UF2 drive transfer in progress (the ROM restarts it when numBlocks changes).
  uint32_t uf2_num_blocks_ = 0;
  std::set<uint32_t> uf2_blocks_done_;
  std::set<uint64_t> uf2_sectors_erased_;

  std::map<std::string, uint64_t> commands_;
  std::map<std::string, uint64_t> failures_;
  uint64_t bytes_written_ = 0, bytes_read_ = 0, ignored_without_xip_ = 0;
  uint64_t uf2_files_ = 0, uf2_blocks_written_ = 0, uf2_blocks_ignored_ = 0, drive_refused_ = 0;
};

}  // namespace omv::sim
