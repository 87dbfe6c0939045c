#pragma once
// The stable JSON form of a board (`omv board T --json`, `omv boards --json`).
#include <nlohmann/json.hpp>

#include "boards/board.h"

namespace omv::boards {

nlohmann::json to_json(const Board& board);

}  // namespace omv::boards
