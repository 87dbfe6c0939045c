// board_config.mk files come from any checkout: the make reader must never crash or hang.
#include <cstddef>
#include <cstdint>
#include <string>

#include "boards/make_reader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  omv::boards::read_make(std::string(reinterpret_cast<const char*>(data), size), {{"TARGET", "X"}});
  return 0;
}
