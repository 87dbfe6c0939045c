#pragma once
// omv build: checks everything make would trip over later (TARGET, SDK, the Cortex-M55 compiler,
// mpy-cross), then runs the firmware Makefile with the SDK's tools first on PATH and reports
// what it produced.
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "boards/board_db.h"
#include "boards/checkout.h"
#include "build/make_vars.h"
#include "build/output_files.h"
#include "core/events.h"

namespace omv::build {

struct BuildEnv {
  std::optional<std::filesystem::path> sdk_dir;  // none: the toolchain already on PATH
  std::string path;                              // PATH for make
  std::map<std::string, std::string> vars;       // PATH, SDK_DIR
};

struct BuildOutcome {
  std::string target;
  bool ok = false;
  double seconds = 0;
  std::filesystem::path bin_dir;
  std::vector<OutputFile> files;
  std::string error;  // when !ok
};

class Builder {
 public:
  Builder(const boards::Checkout& checkout, const boards::BoardDb& db, Reporter reporter, bool json)
      : checkout_(checkout), db_(db), reporter_(reporter), json_(json) {}

  // The checkout's board (case-insensitive), or Error{usage} with the nearest names; an
  // unsupported board ($(error ...) in its board_config.mk) is Error{unsupported}.
  const boards::CheckoutBoard& resolve(const std::string& target) const;
  // The SDK the checkout pins (or the system toolchain), its PATH, or Error{missing_tool}.
  BuildEnv environment(bool no_sdk) const;
  // Refuses a Cortex-M55 board when the compiler make will find is older than GCC 14.3.
  void check_compiler(const boards::CheckoutBoard& board, const BuildEnv& env, bool allow_old_gcc) const;
  // Builds mpy-cross when it is missing or from another MicroPython revision.
  void ensure_mpy_cross(const BuildEnv& env, unsigned jobs) const;
  // Runs make; Error{failure} when make fails.
  BuildOutcome build(const boards::CheckoutBoard& board, const BuildEnv& env, const BuildOptions& options) const;

  const boards::Board* board_data(const std::string& target) const { return db_.find(target); }
  std::string cpu_of(const boards::CheckoutBoard& board) const;

 private:
  const boards::Checkout& checkout_;
  const boards::BoardDb& db_;
  mutable Reporter reporter_;
  bool json_;
};

// Whether the checkout's top-level Makefile checks the SDK's sdk.version stamp (upstream's does);
// when it does not, a missing SDK is no reason to stop.
bool makefile_requires_sdk(const std::filesystem::path& checkout_root);

// omv clean TARGET [--mpy-cross]: the bytes removed.
uint64_t clean_target(const std::filesystem::path& root, const std::string& target, bool mpy_cross, Reporter& reporter);

}  // namespace omv::build
