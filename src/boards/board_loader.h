#pragma once
// Turns one board file (JSON text) into a validated Board. Any problem is an
// Error{bad_board_data} naming the file, the board and the field.
#include <string>

#include "boards/board.h"

namespace omv::boards {

Board load_board(const std::string& file_name, const std::string& json_text);

// Cross-checks that need the whole board: partitions inside their memory, no overlaps
// within a memory, alt numbers unique, build files naming real partitions.
void validate_board(const Board& board);

}  // namespace omv::boards
