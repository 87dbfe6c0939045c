#pragma once
// ST DfuSe files (UM0391, "DfuSe" v1): prefix, targets (alt setting, name, elements with an
// address each), and a DFU suffix with bcdDFU 0x011A. The writer produces the same bytes as
// dfu-util's dfuse-pack for the same inputs: target name "ST...", bTargetNamed 1, elements not
// padded, DFUImageSize = whole file, bcdDevice 0 unless given.
#include <cstdint>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "image/dfu_suffix.h"
#include "image/reader.h"
#include "image/segment.h"

namespace omv::image {

constexpr size_t kDfusePrefixSize = 11;
constexpr size_t kDfuseTargetPrefixSize = 274;
constexpr size_t kDfuseElementHeaderSize = 8;

struct DfuseElement {
  uint32_t address = 0;
  uint32_t size = 0;
  uint64_t data_offset = 0;  // where the element's bytes are in the file
};

struct DfuseTarget {
  uint64_t offset = 0;
  uint8_t alt = 0;
  uint32_t named = 0;
  std::string name;
  uint32_t declared_size = 0;
  std::vector<DfuseElement> elements;
};

struct DfuseFile {
  uint8_t version = 0;
  uint32_t image_size = 0;
  std::vector<DfuseTarget> targets;
  FoundSuffix suffix;
  std::vector<std::string> warnings;  // inconsistencies dfu-util tolerates
};

bool looks_like_dfuse(std::span<const uint8_t> bytes);
DfuseFile parse_dfuse(const ByteView& view);
// The elements as segments (with their alt), sharing nothing with the file buffer.
std::vector<Segment> dfuse_segments(const DfuseFile& file, std::span<const uint8_t> bytes);

struct DfusePackElement {
  uint32_t address = 0;
  std::span<const uint8_t> data;
};
struct DfusePackTarget {
  uint8_t alt = 0;
  std::string name = "ST...";
  std::vector<DfusePackElement> elements;
};
// vendor/product/bcd_device from `suffix`; bcdDFU is always 0x011A.
std::vector<uint8_t> build_dfuse(const std::vector<DfusePackTarget>& targets, DfuSuffix suffix);
// The same file streamed to `sink` piece by piece (the CRC is kept as it goes); returns its size.
uint64_t write_dfuse(const std::vector<DfusePackTarget>& targets, DfuSuffix suffix,
                     const std::function<void(std::span<const uint8_t>)>& sink);

}  // namespace omv::image
