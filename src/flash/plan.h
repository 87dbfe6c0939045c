#pragma once
// The flash plan: for each image → partition, one entry per erase unit: write, skip (the device
// already holds exactly what writing would leave there) or erase-only (the unit ends up erased).
// Every image is checked against its partition before anything else happens.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "boards/board.h"
#include "core/events.h"
#include "flash/session.h"
#include "image/detect.h"

namespace omv::flash {

struct Image {
  std::string label;                   // file name, or "erase-fs"
  const boards::Partition* partition = nullptr;
  uint64_t address = 0;                // where data starts (partition addressing)
  std::vector<uint8_t> data;
  bool erase_only = false;             // erase [address, address + erase_length) instead of writing
  uint64_t erase_length = 0;
  std::filesystem::path file{};        // the file it was loaded from; empty for erase-fs blocks
  image::Format file_format = image::Format::bin;
};

enum class Action { write, skip, erase_only };
const char* action_name(Action action);

struct Unit {
  uint64_t start = 0;
  uint64_t size = 0;
  Action action = Action::write;
  std::string reason;                  // "changed", "identical", "not compared", "unlock"...
};

struct ImagePlan {
  const Image* image = nullptr;
  const boards::Memory* memory = nullptr;
  std::vector<Unit> units;
  bool compared = false;               // units were compared with the device
};

struct Plan {
  std::vector<ImagePlan> images;
  uint64_t bytes(Action action) const;
  size_t count(Action action) const;
  nlohmann::json to_json() const;
};

struct PlanOptions {
  bool skip_unchanged = true;
  bool allow_read_only = false;        // recovery writes the bootloader partition through the ROM
};

// Refuses (nothing written) images that do not fit their partition, target a read-only
// partition, start off an erase-unit boundary or whose erase units cross the partition.
void validate(const boards::Board& board, const std::vector<Image>& images, const PlanOptions& options);

// What a unit must hold after the flash: the image's bytes, 0xFF past its end on erasable memory.
std::vector<uint8_t> expected_unit(const ImagePlan& plan, const Unit& unit);

// Adjacent units (each starting where the last ends) joined into runs of at most max_bytes; with
// same_action, only units with the same action join. A unit larger than max_bytes stays whole.
std::vector<Unit> join_units(const std::vector<Unit>& units, uint64_t max_bytes, bool same_action);

// The units a session handles one command at a time: runs when it spans units, else as planned.
std::vector<Unit> command_units(const std::vector<Unit>& units, const Capabilities& caps, bool same_action);

// Builds the per-unit plan; with a session that can read and skip_unchanged, reads each unit back
// and compares (progress phase "read").
Plan make_plan(const boards::Board& board, const std::vector<Image>& images, Session* session,
               const PlanOptions& options, Reporter& reporter);

}  // namespace omv::flash
