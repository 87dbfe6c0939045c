#pragma once
#include <string>
#include <vector>

#include "boards/board.h"

namespace omv::boards {

class BoardDb {
 public:
  static BoardDb built_in();                          // the boards compiled into the binary
  static BoardDb from_directory(const std::string& dir);  // --boards DIR

  const std::vector<Board>& all() const { return boards_; }
  const Board* find(const std::string& target) const;  // case-insensitive, nullptr when unknown
  // Like find, but an unknown TARGET is an Error{usage} with the nearest matches as the hint.
  const Board& get(const std::string& target) const;
  std::vector<std::string> targets() const;
  void add(Board board);

 private:
  std::vector<Board> boards_;
};

}  // namespace omv::boards
