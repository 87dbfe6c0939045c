#pragma once
// The board's memories as a GDB server sees them: where each memory an image lands in sits in
// the CPU's address space, and how it is written there. Where the server's memory map says
// flash, writes are vFlashErase/vFlashWrite/vFlashDone on the map's blocks; where it says RAM,
// or the server has no map (J-Link, QEMU), writes are X/M and need no erase. The view is a copy
// of the board whose memories carry those erase units, so the flash planner and executor work
// on it unchanged.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "boards/board.h"
#include "flash/plan.h"
#include "protocol/gdb/memory_map.h"

namespace omv::flash {

struct GdbMemoryAccess {
  uint64_t cpu_base = 0;         // the memory's first byte in the CPU's address space
  bool flash_packets = false;    // vFlash* (else X/M)
  uint64_t blocksize = 0;        // the map's erase block, with flash_packets
  std::string region;            // "flash 0x08000000..0x08200000 (blocks of 128 KiB)", "no memory map"
};

struct GdbTargetView {
  boards::Board board;                              // erase layouts as the server will erase
  std::map<std::string, GdbMemoryAccess> access;    // by memory name, for the memories images use
  bool has_map = false;

  const GdbMemoryAccess& of(const boards::Partition& part) const;
  uint64_t cpu_address(const boards::Partition& part, uint64_t address) const;
};

// Throws Error{refused} (nothing written) for an image outside every region of the map, in a
// rom region, or spread over regions of different kinds; `server` names the server.
GdbTargetView make_gdb_target_view(const boards::Board& board, const std::vector<Image>& images,
                                   const std::optional<protocol::gdb::MemoryMap>& map, const std::string& server);

}  // namespace omv::flash
