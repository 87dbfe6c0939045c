#pragma once
// A firmware checkout (openmv/openmv or one laid out like it): found upward from the working
// directory by SDK_VERSION + boards/ + Makefile, or given with --repo DIR.
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "boards/board_db.h"
#include "boards/make_reader.h"

namespace omv::boards {

struct CheckoutBoard {
  std::string target;
  std::filesystem::path config_file;   // boards/<T>/board_config.mk
  MakeFile make;                       // what could be read of it
  bool supported = true;               // false when the file reaches $(error ...)
  std::string unsupported_reason;

  const std::string* var(const std::string& name) const { return make.get(name); }
};

struct Disagreement {
  std::string target;
  std::string field;      // built-in field
  std::string variable;   // board_config.mk variable
  std::string built_in;
  std::string checkout;
};

struct Checkout {
  std::filesystem::path root;
  std::string sdk_version;               // contents of SDK_VERSION, trimmed
  std::vector<CheckoutBoard> boards;

  const CheckoutBoard* board(const std::string& target) const;  // case-insensitive
};

bool looks_like_checkout(const std::filesystem::path& dir);
std::optional<std::filesystem::path> find_checkout_root(std::filesystem::path start);
Checkout read_checkout(const std::filesystem::path& root);
// Where the checkout's board_config.mk disagrees with the built-in data.
std::vector<Disagreement> compare_with(const Checkout& checkout, const BoardDb& db);

}  // namespace omv::boards
