#pragma once
// Where an image goes on a board and whether it fits: addressed data (ELF, UF2, DfuSe) by the
// partitions that hold its addresses; a raw binary by its build-file name, by the reset vector
// at its start, or else by every partition large enough.
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "boards/board.h"
#include "image/segment.h"

namespace omv::image {

// A partition as the CPU may address it: in the partition's own addressing, and through the
// memory's XIP window when it has one (QSPI at 0x90000000, ...).
struct AddressWindow {
  const boards::Partition* partition = nullptr;
  uint64_t start = 0;
  uint64_t end = 0;
  bool xip = false;
};
std::vector<AddressWindow> partition_windows(const boards::Board& board);
const AddressWindow* window_at(const std::vector<AddressWindow>& windows, uint64_t address);

// {"target", "partition", "fits", "used", "size", "overflow", "segments": [...], "outside": [...]}
nlohmann::json fit_segments(const boards::Board& board, const std::vector<Segment>& segments);
// {"target", "partition" (or null), "how", "fits", "size", "overflow", "candidates": [...]}
// `role` (e.g. "romfs0", "toc") names the partition for formats that say what they are.
nlohmann::json fit_raw_binary(const boards::Board& board, std::span<const uint8_t> bytes, const std::string& file_name,
                              const std::string& role = {});

}  // namespace omv::image
