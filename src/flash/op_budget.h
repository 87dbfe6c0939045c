#pragma once
// How long one bootloader operation may take, from the board's flash figures: a DFU block that
// lands on an H7 sector start has to wait out a 128 KiB erase (2.2 s max) while the next block
// takes milliseconds, so every wait gets its own budget instead of one global timeout.
#include <chrono>
#include <cstdint>

#include "boards/board.h"

namespace omv::flash {

using Millis = std::chrono::milliseconds;

// Worst-case erase of one unit of `unit_size` bytes.
Millis erase_budget(const boards::Memory& memory, uint64_t unit_size);
// Worst-case program of `length` bytes, plus an erase of `erased_unit` bytes when the write
// starts an erase unit (erase-on-write loaders), plus the USB round trips.
Millis write_budget(const boards::Memory& memory, uint64_t length, uint64_t erased_unit = 0);

}  // namespace omv::flash
