#include "discovery/identify.h"

#include <algorithm>

#include "protocol/dfu/stm32_phases.h"

namespace omv::discovery {

const char* to_string(ModeKind kind) {
  switch (kind) {
    case ModeKind::running: return "running";
    case ModeKind::bootloader: return "bootloader";
    case ModeKind::rom: return "rom";
    case ModeKind::flashloader: return "flashloader";
    case ModeKind::isp: return "isp";
  }
  return "unknown";
}

ModeKind mode_kind(const std::string& mode) {
  auto starts = [&](const char* prefix) { return mode.rfind(prefix, 0) == 0; };
  if (starts("app") || mode == "legacy_app") return ModeKind::running;
  if (starts("rom")) return ModeKind::rom;
  if (starts("flashloader") || starts("openbl")) return ModeKind::flashloader;
  if (starts("isp")) return ModeKind::isp;
  return ModeKind::bootloader;
}

IdentityTable::IdentityTable(const boards::BoardDb& db) {
  for (const auto& board : db.all())
    for (const auto& [mode, id] : board.usb) entries_.push_back({id, {&board, mode, mode_kind(mode)}});
}

std::vector<Candidate> IdentityTable::lookup(UsbId id) const {
  std::vector<Candidate> out;
  for (const auto& e : entries_)
    if (e.id == id) out.push_back(e.candidate);
  return out;
}

std::vector<UsbId> IdentityTable::ids() const {
  std::vector<UsbId> out;
  for (const auto& e : entries_)
    if (std::find(out.begin(), out.end(), e.id) == out.end()) out.push_back(e.id);
  std::sort(out.begin(), out.end(), [](UsbId a, UsbId b) { return a.vid != b.vid ? a.vid < b.vid : a.pid < b.pid; });
  return out;
}

std::vector<Candidate> refine_by_product(std::vector<Candidate> candidates, const std::string& product) {
  namespace ph = dfu::phases;
  const auto stage = ph::parse_stage(product);
  const bool openbl = stage.stage == ph::Stage::openbl;
  auto chip_of = [](const Candidate& c) { return c.board->loader_number("rom_device_id"); };
  const bool chip_named = std::any_of(candidates.begin(), candidates.end(), [&](const Candidate& c) {
    auto chip = chip_of(c);
    return chip && stage.device_id == *chip;
  });
  std::vector<Candidate> kept;
  for (const auto& c : candidates) {
    if ((c.mode == "openbl") != openbl) continue;
    const auto chip = chip_of(c);
    if (chip ? stage.device_id != *chip : chip_named) continue;
    kept.push_back(c);
  }
  return kept.empty() ? candidates : kept;
}

std::vector<std::string> flash_modes(const boards::Board& board) {
  std::vector<std::string> own, loaders;
  for (const auto& [mode, id] : board.usb) {
    const ModeKind kind = mode_kind(mode);
    if (kind == ModeKind::bootloader) own.push_back(mode);
    if (kind == ModeKind::rom || kind == ModeKind::flashloader) loaders.push_back(mode);
  }
  return own.empty() ? loaders : own;
}

}  // namespace omv::discovery
