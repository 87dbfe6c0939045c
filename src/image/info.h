#pragma once
// `omv image info`: what a firmware file is and holds, as one JSON document. With a board, also
// where it goes on that board and whether it fits.
#include <filesystem>

#include <nlohmann/json.hpp>

#include "boards/board.h"
#include "boards/board_db.h"

namespace omv::image {

// Throws Error{bad_file} (file, format, offset, what was expected) for malformed files.
nlohmann::json describe_image(const std::filesystem::path& file, const boards::Board* board, const boards::BoardDb& db);

}  // namespace omv::image
