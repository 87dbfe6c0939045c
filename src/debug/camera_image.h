#pragma once
// "The bytes on the camera" for the debug loop: the memory files of a virtual camera
// (BUS/<serial>/<memory>.bin, in the memory's own addressing) mapped to the addresses the CPU
// sees them at, and how they compare with an ELF's load segments.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "boards/board.h"
#include "debug/elf_file.h"

namespace omv::debug {

struct CameraMemory {
  std::string name;              // the board's memory name ("code", "itcm", ...)
  std::filesystem::path file;    // BUS/<serial>/<name>.bin
  uint64_t cpu_address = 0;      // where the CPU sees byte 0 of the file
  uint64_t size = 0;             // bytes in the file (at most the memory's size)
};

struct VirtualCamera {
  std::string serial;
  std::filesystem::path dir;
  std::vector<CameraMemory> memories;
};

// The virtual camera of `board` on the sim bus `bus`: the one named `serial`, or the only one
// holding this board's memories. Throws Error{no_device} (none, or several without --serial).
VirtualCamera find_virtual_camera(const boards::Board& board, const std::filesystem::path& bus,
                                  const std::string& serial);

struct ImageComparison {
  uint64_t compared = 0;        // ELF bytes that lie in a camera memory
  uint64_t differing = 0;       // of those, bytes that differ
  uint64_t first_difference = 0;
  uint64_t outside = 0;         // ELF bytes in no camera memory
  bool camera_erased = false;   // every compared camera byte is 0xFF
  bool matches() const { return compared > 0 && differing == 0; }
};

// Compares the ELF's loadable bytes (at their load addresses) with the camera's memories.
ImageComparison compare_with_camera(const ElfInfo& elf, const VirtualCamera& camera);

}  // namespace omv::debug
