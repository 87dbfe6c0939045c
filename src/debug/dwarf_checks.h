#pragma once
// Two pitfalls of source-level debugging, found before gdb starts:
//  - a release build (-O2) or an ELF without DWARF: "everything is <optimized out>";
//  - an ELF built somewhere else (Docker, CI): its DW_AT_comp_dir paths do not exist here, so
//    gdb cannot show the sources unless told `set substitute-path FROM TO`.
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "debug/elf_file.h"

namespace omv::debug {

// The optimisation flag recorded in a GCC DW_AT_producer ("-O2", "-Og"; "-O0" when GCC recorded
// none). nullopt when the producer does not record command-line options (clang, assemblers).
std::optional<std::string> optimisation_flag(std::string_view producer);
// True for -O0 and -Og: the levels where variables and stepping behave.
bool debuggable_level(std::string_view flag);
// The -g level recorded ("-g1", "-ggdb3", ...); nullopt when none is recorded.
std::optional<std::string> debug_info_flag(std::string_view producer);

struct BuildAssessment {
  enum class Verdict { debug_build, optimised, no_dwarf, unknown } verdict = Verdict::unknown;
  std::string level;            // the flag that decided it ("-O2")
  std::string unit;             // the compile unit it was read from (main's, when known)
  size_t optimised_units = 0;   // units built above -Og
  size_t total_units = 0;
  bool minimal_debug_info = false;  // -g1: no local variables
};
BuildAssessment assess_build(const ElfInfo& elf);

using PathExists = std::function<bool(const std::filesystem::path&)>;

// `set substitute-path FROM TO` pairs that make the ELF's source paths resolve under `checkout`,
// for paths that do not exist as recorded. Each FROM is the shortest recorded prefix whose
// remainder exists under the checkout.
std::vector<std::pair<std::string, std::string>> substitute_paths(const ElfInfo& elf,
                                                                  const std::filesystem::path& checkout,
                                                                  const PathExists& exists);

}  // namespace omv::debug
