#include "image/openmv_bin.h"

#include <fmt/format.h>

#include <cstring>

#include "core/error.h"
#include "core/numbers.h"
#include "image/reader.h"

namespace omv::image {

std::string BootHeader::version() const { return fmt::format("{}.{}.{}", major, minor, patch); }

std::optional<BootHeader> read_boot_header(std::span<const uint8_t> bytes) {
  if (bytes.size() < kBootHeaderOffset + 7) return std::nullopt;
  const uint8_t* h = bytes.data() + kBootHeaderOffset;
  if (load_le32(h) != kBootMagic) return std::nullopt;
  return BootHeader{h[4], h[5], h[6]};
}

CombinedLayout combined_layout(const boards::Board& board) {
  CombinedLayout layout;
  layout.bootloader = board.partition_by_role("bootloader");
  layout.firmware = board.partition_by_role("firmware");
  if (board.bootloader_type != boards::BootloaderType::openmv_dfu || !layout.bootloader || !layout.firmware)
    fail(ErrorKind::unsupported,
         fmt::format("{} has no OpenMV bootloader in front of its firmware, so there is no openmv.bin for it", board.target),
         "openmv.bin exists for boards with the OpenMV DFU bootloader (see 'omv board TARGET')");
  if (layout.bootloader->memory != layout.firmware->memory || layout.firmware->start <= layout.bootloader->start)
    fail(ErrorKind::unsupported, fmt::format("{}: partitions {} and {} are not one after the other in one memory", board.target,
                                             layout.bootloader->name, layout.firmware->name));
  layout.firmware_offset = layout.firmware->start - layout.bootloader->start;
  return layout;
}

std::vector<uint8_t> combine_openmv_bin(std::span<const uint8_t> bootloader, std::span<const uint8_t> firmware,
                                        const CombinedLayout& layout, const std::string& bootloader_name,
                                        const std::string& firmware_name) {
  if (bootloader.size() > layout.firmware_offset)
    fail(ErrorKind::refused,
         fmt::format("{} is {} bytes, {} more than the {} bytes before the firmware offset {}; nothing was written",
                     bootloader_name, bootloader.size(), bootloader.size() - layout.firmware_offset, layout.firmware_offset,
                     hex32(layout.firmware_offset)),
         "is this the bootloader of the right board?");
  if (firmware.size() > layout.firmware->size())
    fail(ErrorKind::refused,
         fmt::format("{} is {} bytes, {} more than partition {} ({} bytes); nothing was written", firmware_name, firmware.size(),
                     firmware.size() - layout.firmware->size(), layout.firmware->name, layout.firmware->size()));
  std::vector<uint8_t> out(static_cast<size_t>(layout.firmware_offset + firmware.size()), 0xFF);
  if (!bootloader.empty()) std::memcpy(out.data(), bootloader.data(), bootloader.size());
  if (!firmware.empty()) std::memcpy(out.data() + layout.firmware_offset, firmware.data(), firmware.size());
  return out;
}

SplitImage split_openmv_bin(std::span<const uint8_t> bytes, const CombinedLayout& layout, const std::string& file,
                            bool keep_padding) {
  const Source source{file, "openmv.bin"};
  if (bytes.size() <= layout.firmware_offset)
    malformed(source, bytes.size(),
              fmt::format("expected the firmware at offset {} ({}), but the file ends at offset {}", layout.firmware_offset,
                          hex32(layout.firmware_offset), bytes.size()));
  SplitImage out;
  auto boot = bytes.first(static_cast<size_t>(layout.firmware_offset));
  size_t used = boot.size();
  if (!keep_padding)
    while (used > 0 && boot[used - 1] == 0xFF) --used;
  out.padding = boot.size() - used;
  out.bootloader = boot.first(used);
  out.firmware = bytes.subspan(static_cast<size_t>(layout.firmware_offset));
  return out;
}

}  // namespace omv::image
