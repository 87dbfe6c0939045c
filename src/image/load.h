#pragma once
// Any firmware file as memory contents: the one call other parts of omv use when a user hands
// them a file to flash or compare.
//
//   auto image = omv::image::load_image("firmware.elf");          // ELF: load addresses
//   auto image = omv::image::load_image("fw.bin", {.base = 0x08040000});
//   for (const auto& s : image.segments) program(s.address, s.data);
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "image/detect.h"
#include "image/segment.h"

namespace omv::image {

struct LoadOptions {
  std::optional<uint64_t> base;        // address of a raw binary (bin, romfs, openmv.bin, toc)
  std::optional<uint32_t> uf2_family;  // which family of a multi-family UF2
};

struct LoadedImage {
  Format format = Format::bin;
  std::vector<Segment> segments;  // sorted by address, coalesced; DfuSe segments carry their alt
  bool addresses_known = false;   // false for a raw binary without a base (address 0)
  std::vector<std::string> notes; // e.g. "DFU suffix removed (16 bytes)"
};

LoadedImage load_image(const std::filesystem::path& file, const LoadOptions& options = {});
LoadedImage load_image(std::vector<uint8_t> bytes, const std::string& name, const LoadOptions& options = {});

}  // namespace omv::image
