#pragma once
// Which format a file is, from its bytes (and, where the bytes cannot tell, its name).
#include <cstdint>
#include <filesystem>
#include <span>

namespace omv::image {

enum class Format {
  elf,         // 7F 'E' 'L' 'F'
  dfuse,       // "DfuSe" prefix
  uf2,         // UF2 block magics (or a .uf2 name)
  romfs,       // D2 CD 31
  openmv_bin,  // OpenMV boot header at 0x1000 (bootloader.bin or the combined openmv.bin), or an openmv*.bin name
  ae3_toc,     // 8 KiB with an Alif TOC at the end (or a .toc name)
  dfu_suffix,  // any other file ending in a DFU suffix
  bin,         // anything else: raw bytes
};

const char* format_name(Format format);  // "elf", "dfuse", ..., as in `omv image info --json`
Format detect_format(std::span<const uint8_t> bytes, const std::filesystem::path& name);

}  // namespace omv::image
