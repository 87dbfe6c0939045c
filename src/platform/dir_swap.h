#pragma once
// Putting a finished folder (an unpacked SDK) in place of the old one so that a crash at any
// moment leaves either the old or the new folder, never neither.
//
// Linux swaps the two with renameat2(RENAME_EXCHANGE) in one step. POSIX renames the old
// folder aside to `<target>.old-swap` and then the new one into place. A crash between the
// two renames leaves no target but a complete old folder aside, which recover_swap() (called
// first by replace_folder on the next run) renames back; a crash after the second rename
// leaves only the aside folder, which it removes.
#include <filesystem>

#include "platform/os.h"

namespace omv::platform {

// The name of the old folder while it is aside: target + ".old-swap".
std::filesystem::path swap_aside_path(const std::filesystem::path& target);

// replace_folder: moves `work` to `target`; an existing target ends up in `work` (Linux) or is
//   removed (POSIX). Returns 0, or the errno of the rename that failed, with `what` saying
//   which ("replace" or "create").
// recover_swap: finishes or undoes a swap a crash interrupted (nothing to do on Linux).
#define OMV_PLATFORM_DIR_SWAP                                                                            \
  int replace_folder(const std::filesystem::path& work, const std::filesystem::path& target, const char*& what); \
  void recover_swap(const std::filesystem::path& target);
namespace linux_impl { OMV_PLATFORM_DIR_SWAP }
namespace posix_impl { OMV_PLATFORM_DIR_SWAP }
#undef OMV_PLATFORM_DIR_SWAP

}  // namespace omv::platform
