#include "platform/dir_swap.h"

namespace omv::platform {

std::filesystem::path swap_aside_path(const std::filesystem::path& target) {
  return target.string() + ".old-swap";
}

}  // namespace omv::platform
