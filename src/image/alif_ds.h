#pragma once
// The image list of an Alif application package script (application_package.ds, written by
// Alif's app-gen-toc.py for the ARM-DS debugger and read by app-write-mram.py; alif-isp.md §3):
//
//   set semihosting args <file> <address> [<file> <address> ...]
//   continue
//
// The list is the text after the first "args" up to the first "continue" after it: pairs of a
// file and an absolute MRAM address (hex with 0x, or decimal; at most 32 bits).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace omv::image {

struct AlifDsImage {
  std::string file;  // as written in the script (relative paths are the caller's to resolve)
  uint32_t address = 0;
};

// Error{bad_file} naming `source` and the offset of what is wrong.
std::vector<AlifDsImage> parse_alif_ds(std::string_view text, const std::string& source);

}  // namespace omv::image
