#pragma once
// The path of the running omv binary. Linux reads /proc/self/exe; POSIX asks
// _NSGetExecutablePath on macOS and falls back to /proc/self/exe, /proc/curproc/file (the BSDs
// with procfs) and then nothing elsewhere.
#include <filesystem>
#include <optional>

#include "platform/os.h"

namespace omv::platform {

#define OMV_PLATFORM_EXE_PATH std::optional<std::filesystem::path> executable_path();
namespace linux_impl { OMV_PLATFORM_EXE_PATH }
namespace posix_impl { OMV_PLATFORM_EXE_PATH }
#undef OMV_PLATFORM_EXE_PATH

}  // namespace omv::platform
