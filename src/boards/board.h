#pragma once
// A board as data: everything that differs between cameras lives here, loaded from
// boards/<TARGET>.json (compiled in) and validated once at start-up.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/numbers.h"

namespace omv::boards {

// Bootloader families omv knows how to talk to.
enum class BootloaderType { openmv_dfu, st_rom_dfuse, arduino_dfuse, nxp_sdp_blhost, samba, picoboot, alif_se, none };
const char* to_string(BootloaderType type);
std::optional<BootloaderType> bootloader_type_from_string(const std::string& name);

// A run of equal erase units, as in a DfuSe layout ("04*016K").
struct EraseRun {
  uint64_t count = 0;
  uint64_t size = 0;
};

// Flash timing, used for per-operation timeouts and by the virtual camera's timing model.
struct FlashTiming {
  double erase_typ_ms = 0;          // per erase unit (the largest unit in the layout)
  double erase_max_ms = 0;
  double erase_ms_per_kib = 0;      // when erase time scales with unit size (F4/F7 sectors), else 0
  double program_us_per_unit = 0;   // per program unit (word/page)
  std::string source;               // where the figures come from
};

struct Memory {
  std::string name;                 // "internal", "qspi", "mram", "ospi", ...
  std::string kind;                 // "flash" | "mram" | "nor" | "otp"
  uint64_t base = 0;                // first address of the memory in partition addressing
  uint64_t size = 0;
  std::optional<uint64_t> xip_base; // where the CPU sees it memory-mapped, if different from base
  std::vector<EraseRun> erase_layout;  // from base upward; empty = no erase needed (MRAM)
  uint32_t program_unit = 4;        // bytes programmed at once
  FlashTiming timing;
  std::string dfuse_layout;         // ST/Arduino DfuSe memory-layout string for this memory, if any
  std::optional<int> dfuse_alt;     // DfuSe alt setting that addresses this memory (address-based loaders)

  uint64_t end() const { return base + size; }
  // Where the CPU (and so a debug probe) sees `addr` of this memory: through its XIP window if any.
  uint64_t cpu_address(uint64_t addr) const { return xip_base.value_or(base) + (addr - base); }
  // The erase unit that contains addr: [start, start+size). Memories without erase return a
  // single 'unit' the size of program_unit.
  struct Unit { uint64_t start, size; };
  std::optional<Unit> erase_unit_at(uint64_t addr) const;
};

struct Partition {
  std::string name;                 // BOOTLOADER, FIRMWARE, ... (the DFU alt name, when there is one)
  std::optional<int> alt;           // DFU alt setting, for openmv_dfu; null for address-based loaders
  std::string memory;               // Memory::name
  uint64_t start = 0;               // in the memory's addressing
  uint64_t end = 0;                 // exclusive
  bool read_only = false;
  std::string role;                 // bootloader, firmware, filesystem, romfs0, romfs1, toc, recovery, ...
  std::string note;

  uint64_t size() const { return end - start; }
};

// A build output and where it goes.
struct BuildFile {
  std::string file;                 // "firmware.bin"
  std::string partition;            // Partition::name
  std::string purpose;              // human description
  bool flash_by_default = true;     // part of a normal `omv flash`
  std::optional<uint64_t> address;  // address-based loaders: where it is written (default: partition start)
};

struct EraseFs {
  std::string method;               // "dfu_zero_block" | "address_zero_block" | "flash_erase_region" | "none"
  std::vector<std::string> partitions;  // partitions whose first bytes are cleared
  uint64_t bytes = 4096;
  std::string note;
};

struct Debug {
  std::string jlink_device;         // "STM32H743VI"
  std::string server;               // default server: jlink | stlink | qemu | none
  std::string elf = "firmware.elf"; // the ELF to debug
  std::string svd;                  // SVD file name (not a path)
  std::string stlink_external_loader;
  std::string qemu_machine;
  int access_port = 0;              // the core's debug access port (ST-LINK --apid; the N6's M55 is on AP 1)
  bool attach_by_default = false;   // boards that boot from external flash
};

// How `omv deploy` reaches the chip when neither --probe nor --gdb is given.
struct Deploy {
  std::string probe;                // stlink | jlink | gdb | isp; empty: follows debug.server
  std::string note;                 // why, and how upstream's `make deploy` differs
};

struct Board {
  std::string target;
  std::string name;
  std::string mcu;
  std::string port;
  std::string core;
  bool supported = true;
  std::string unsupported_reason;
  BootloaderType bootloader_type = BootloaderType::none;
  std::map<std::string, UsbId> usb;          // mode -> id: app, bootloader, rom, flashloader, ...
  std::vector<Memory> memories;
  std::vector<Partition> partitions;
  std::vector<BuildFile> files;
  EraseFs erase_fs;
  std::optional<uint64_t> bootloader_magic_address;
  uint32_t dfu_transfer_size = 0;            // wTransferSize the bootloader reports (0 = n/a)
  std::string usb_speed = "full";            // full | high
  Debug debug;
  Deploy deploy;
  std::map<std::string, std::string> loader; // bootloader-specific parameters (addresses, offsets, words)
  std::vector<std::string> notes;            // where sources disagree, and what was followed
  std::string source;                        // the file it came from

  const Partition* partition(const std::string& wanted) const;       // case-insensitive
  const Partition* partition_by_role(const std::string& role) const;
  const Partition* partition_by_alt(int alt) const;
  const Memory* memory(const std::string& wanted) const;
  const BuildFile* build_file(const std::string& file) const;
  std::optional<UsbId> usb_id(const std::string& mode) const;
  std::optional<uint64_t> loader_number(const std::string& key) const;
  // The chip's ROM speaks ST's DFU phase protocol (loader.rom_protocol = stm32_dfu_phases: the N6).
  bool rom_speaks_stm32_phases() const;
  const Memory* memory_by_dfuse_alt(int alt) const;
  // deploy.probe, else what debug.server implies (jlink, stlink; qemu's gdbstub: gdb); "" for none.
  std::string default_deploy_probe() const;
};

}  // namespace omv::boards
