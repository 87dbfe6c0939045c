#include <cerrno>
#include <cstdio>

#include "platform/dir_swap.h"

namespace omv::platform::posix_impl {

void recover_swap(const std::filesystem::path& target) {
  namespace fs = std::filesystem;
  const auto aside = swap_aside_path(target);
  std::error_code ec;
  if (!fs::exists(fs::symlink_status(aside, ec))) return;
  if (fs::exists(fs::symlink_status(target, ec))) {
    fs::remove_all(aside, ec);  // the new folder made it into place
    return;
  }
  std::rename(aside.c_str(), target.c_str());  // crashed between the renames: the old one comes back
}

int replace_folder(const std::filesystem::path& work, const std::filesystem::path& target, const char*& what) {
  namespace fs = std::filesystem;
  recover_swap(target);
  std::error_code ec;
  if (fs::exists(fs::symlink_status(target, ec))) {
    const auto aside = swap_aside_path(target);
    what = "replace";
    if (std::rename(target.c_str(), aside.c_str()) != 0) return errno;
    if (std::rename(work.c_str(), target.c_str()) != 0) {
      const int err = errno;
      std::rename(aside.c_str(), target.c_str());
      return err;
    }
    fs::remove_all(aside, ec);
    return 0;
  }
  what = "create";
  // rename() replaces an empty folder that appeared meanwhile; a non-empty one fails (ENOTEMPTY).
  return std::rename(work.c_str(), target.c_str()) == 0 ? 0 : errno;
}

}  // namespace omv::platform::posix_impl
