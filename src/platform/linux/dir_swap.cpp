#include <fcntl.h>
#include <stdio.h>

#include <cerrno>

#include "platform/dir_swap.h"

namespace omv::platform::linux_impl {

int replace_folder(const std::filesystem::path& work, const std::filesystem::path& target, const char*& what) {
  std::error_code ec;
  if (std::filesystem::exists(std::filesystem::symlink_status(target, ec))) {
    // The target is never missing, and the old content ends up in the work folder.
    what = "replace";
    return ::renameat2(AT_FDCWD, work.c_str(), AT_FDCWD, target.c_str(), RENAME_EXCHANGE) == 0 ? 0 : errno;
  }
  what = "create";
  return ::renameat2(AT_FDCWD, work.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) == 0 ? 0 : errno;
}

void recover_swap(const std::filesystem::path&) {}

}  // namespace omv::platform::linux_impl
