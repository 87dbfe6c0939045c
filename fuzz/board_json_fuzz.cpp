// Board files are data a user may hand omv with --boards: the loader must never crash.
#include <cstddef>
#include <cstdint>
#include <string>

#include "boards/board_loader.h"
#include "core/error.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  try {
    omv::boards::load_board("fuzz.json", std::string(reinterpret_cast<const char*>(data), size));
  } catch (const omv::Error&) {
  }
  return 0;
}
