#include "boards/board_db.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "boards/board_loader.h"
#include "boards/embedded_boards.h"
#include "core/error.h"
#include "core/text.h"

namespace omv::boards {

BoardDb BoardDb::built_in() {
  BoardDb db;
  for (const auto& f : embedded_board_files()) db.add(load_board(f.name, f.content));
  return db;
}

BoardDb BoardDb::from_directory(const std::string& dir) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(dir, ec))
    fail(ErrorKind::usage, fmt::format("--boards {}: not a directory", dir));
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  if (files.empty()) fail(ErrorKind::bad_board_data, fmt::format("--boards {}: no *.json board files", dir));
  BoardDb db;
  for (const auto& path : files) {
    std::ifstream in(path);
    std::stringstream text;
    text << in.rdbuf();
    if (!in) fail(ErrorKind::io, fmt::format("{}: cannot read", path.string()));
    db.add(load_board(path.string(), text.str()));
  }
  return db;
}

void BoardDb::add(Board board) {
  if (find(board.target))
    fail(ErrorKind::bad_board_data, fmt::format("{}: {}: target defined twice", board.source, board.target));
  boards_.push_back(std::move(board));
}

const Board* BoardDb::find(const std::string& target) const {
  for (const auto& b : boards_)
    if (iequals(b.target, target)) return &b;
  return nullptr;
}

std::vector<std::string> BoardDb::targets() const {
  std::vector<std::string> out;
  for (const auto& b : boards_) out.push_back(b.target);
  return out;
}

const Board& BoardDb::get(const std::string& target) const {
  if (const Board* b = find(target)) return *b;
  auto close = nearest(target, targets());
  std::string hint = close.empty() ? "run 'omv boards' to list every TARGET"
                                   : fmt::format("did you mean {}? ('omv boards' lists every TARGET)", join(close, ", "));
  fail(ErrorKind::usage, fmt::format("unknown TARGET '{}'", target), hint);
}

}  // namespace omv::boards
