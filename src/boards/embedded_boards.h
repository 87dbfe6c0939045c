#pragma once
#include <string>
#include <vector>

namespace omv::boards {

struct EmbeddedBoardFile {
  const char* name;     // "boards/OPENMV4.json"
  const char* content;
};

// Generated at build time from boards/*.json.
const std::vector<EmbeddedBoardFile>& embedded_board_files();

}  // namespace omv::boards
