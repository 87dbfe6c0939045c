// omv size reads ELF files and link maps from any build folder: never crash on them.
#include <cstddef>
#include <cstdint>
#include <string>

#include "boards/board_db.h"
#include "build/elf_sections.h"
#include "build/linker_map.h"
#include "build/size_report.h"
#include "core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto db = omv::boards::BoardDb::built_in();
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto map = omv::build::parse_map_regions(text);
  try {
    auto elf = omv::build::read_elf_bytes(data, size, "fuzz.elf");
    omv::build::size_report(elf, "fuzz.elf", db.find("OPENMV4"), map);
    omv::build::size_report(elf, "fuzz.elf", db.find("OPENMV_AE3"), {});
  } catch (const omv::Error&) {
  }
  return 0;
}
