#pragma once
// `omv vscode TARGET`: writes .vscode/launch.json, tasks.json, extensions.json and
// c_cpp_properties.json into a firmware checkout for Cortex-Debug, merging into the files that
// are already there.
#include <filesystem>
#include <string>
#include <vector>

#include "boards/board.h"
#include "boards/checkout.h"
#include "core/events.h"

namespace omv::debug {

struct VscodeRequest {
  bool force = false;                     // replace omv's entries that were changed by hand
  std::filesystem::path svd;              // --svd FILE
  std::filesystem::path svd_dir;          // --svd-dir DIR (remembered in omv's config)
  std::string server;                     // --server: instead of the board's
  std::filesystem::path sim;              // the sim bus the QEMU attach task serves from
  std::string omv_command = "omv";        // how tasks call omv
};

struct VscodeFileResult {
  std::filesystem::path path;
  std::string status;  // created | updated | unchanged
  std::vector<std::string> added, replaced, unchanged;
};

// Throws Error{refused} (same-named entries differ, no --force: nothing written) or
// Error{bad_file} (an existing file is not JSON with comments: nothing written).
std::vector<VscodeFileResult> write_vscode_files(const boards::Board& board, const boards::Checkout& checkout,
                                                 const VscodeRequest& request, Reporter& reporter);

// omv's config file ($XDG_CONFIG_HOME/omv/config.json, else ~/.config/omv/config.json).
std::filesystem::path config_file();
// The SVD folder set once (`omv vscode --svd-dir DIR`), or OMV_SVD_DIR; empty if none.
std::filesystem::path configured_svd_dir();

}  // namespace omv::debug
