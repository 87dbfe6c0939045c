#include "boards/board.h"

#include "core/text.h"

namespace omv::boards {

const char* to_string(BootloaderType type) {
  switch (type) {
    case BootloaderType::openmv_dfu: return "openmv_dfu";
    case BootloaderType::st_rom_dfuse: return "st_rom_dfuse";
    case BootloaderType::arduino_dfuse: return "arduino_dfuse";
    case BootloaderType::nxp_sdp_blhost: return "nxp_sdp_blhost";
    case BootloaderType::samba: return "samba";
    case BootloaderType::picoboot: return "picoboot";
    case BootloaderType::alif_se: return "alif_se";
    case BootloaderType::none: return "none";
  }
  return "none";
}

std::optional<BootloaderType> bootloader_type_from_string(const std::string& name) {
  for (auto t : {BootloaderType::openmv_dfu, BootloaderType::st_rom_dfuse, BootloaderType::arduino_dfuse,
                 BootloaderType::nxp_sdp_blhost, BootloaderType::samba, BootloaderType::picoboot,
                 BootloaderType::alif_se, BootloaderType::none})
    if (name == to_string(t)) return t;
  return std::nullopt;
}

std::optional<Memory::Unit> Memory::erase_unit_at(uint64_t addr) const {
  if (addr < base || addr >= end()) return std::nullopt;
  if (erase_layout.empty()) {
    uint64_t unit = program_unit ? program_unit : 1;
    return Unit{addr - (addr - base) % unit, unit};
  }
  uint64_t start = base;
  for (const auto& run : erase_layout) {
    uint64_t run_end = start + run.count * run.size;
    if (addr < run_end) return Unit{start + (addr - start) / run.size * run.size, run.size};
    start = run_end;
  }
  return std::nullopt;
}

const Partition* Board::partition(const std::string& wanted) const {
  for (const auto& p : partitions)
    if (iequals(p.name, wanted)) return &p;
  return nullptr;
}

const Partition* Board::partition_by_role(const std::string& role) const {
  for (const auto& p : partitions)
    if (p.role == role) return &p;
  return nullptr;
}

const Partition* Board::partition_by_alt(int alt) const {
  for (const auto& p : partitions)
    if (p.alt && *p.alt == alt) return &p;
  return nullptr;
}

const Memory* Board::memory(const std::string& wanted) const {
  for (const auto& m : memories)
    if (m.name == wanted) return &m;
  return nullptr;
}

const BuildFile* Board::build_file(const std::string& file) const {
  for (const auto& f : files)
    if (iequals(f.file, file)) return &f;
  return nullptr;
}

std::optional<UsbId> Board::usb_id(const std::string& mode) const {
  auto it = usb.find(mode);
  if (it == usb.end()) return std::nullopt;
  return it->second;
}

bool Board::rom_speaks_stm32_phases() const {
  auto it = loader.find("rom_protocol");
  return it != loader.end() && it->second == "stm32_dfu_phases";
}

std::optional<uint64_t> Board::loader_number(const std::string& key) const {
  auto it = loader.find(key);
  if (it == loader.end()) return std::nullopt;
  return parse_u64(it->second);
}

const Memory* Board::memory_by_dfuse_alt(int alt) const {
  for (const auto& m : memories)
    if (m.dfuse_alt && *m.dfuse_alt == alt) return &m;
  return nullptr;
}

std::string Board::default_deploy_probe() const {
  if (!deploy.probe.empty()) return deploy.probe;
  if (debug.server == "qemu") return "gdb";
  if (debug.server == "jlink" || debug.server == "stlink") return debug.server;
  return "";
}

}  // namespace omv::boards
