#pragma once
// STM32CubeProgrammer's FlashLayout.tsv, read with U-Boot stm32prog's column rules: tab-separated
// (several tabs count as one), CR ignored, '#' lines and empty lines skipped, at least six
// columns Opt Id Name Type IP Offset and an optional seventh, the Binary file name (resolved
// beside the TSV). Opt is '-' or letters from P (program), E (empty) and D (erase), and letters
// without P are an error; Id is a phase id 0x01..0xF0, unique; Name at most 16 characters;
// Type Binary, Binary(N), FIP, System, FileSystem or RawImage; IP none, ram, mmcN, norN, nandN
// or spi-nandN; Offset a number (or boot1/boot2 for eMMC).
// U-Boot refuses a selected line with IP none; on the N6 those lines are the RAM loads that the
// ROM and ST's OpenBootloader take (FSBL 0x01, external-flash loader 0x03), so `allow_ram_phases`
// accepts IP none for exactly those ids and refuses it for any other.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace omv::image {

struct FlashLayoutLine {
  int line_number = 0;        // in the file, for messages
  std::string opt;            // "P", "PD", "-", ...
  uint8_t id = 0;
  std::string name, type, ip;
  std::string offset_text;    // as written
  std::optional<uint64_t> offset;  // numeric offsets
  std::string binary;         // the file name as written ("" when the column is absent)
  std::filesystem::path binary_path;  // resolved beside the TSV

  bool selected() const { return opt.find('P') != std::string::npos; }
  bool empty_partition() const { return opt.find('E') != std::string::npos; }
};

struct FlashLayout {
  std::filesystem::path file;
  std::vector<FlashLayoutLine> lines;  // in file order

  const FlashLayoutLine* line_for(uint8_t id) const;
  // The six-column TSV ST's services parse (no comment line, LF after every line), selected
  // lines only, in file order.
  std::string normalised_tsv() const;
};

struct FlashLayoutOptions {
  std::vector<uint8_t> ram_phases;  // ids whose selected lines may have IP none
};

// Parses text read from `file` (named in every error: "<file>:<line>: ..."). Error{bad_file}.
FlashLayout parse_flash_layout(const std::string& text, const std::filesystem::path& file,
                               const FlashLayoutOptions& options = {});
FlashLayout read_flash_layout(const std::filesystem::path& file, const FlashLayoutOptions& options = {});

}  // namespace omv::image
