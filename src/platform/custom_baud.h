#pragma once
// A baud rate termios has no constant for (the Alif Secure Enclave's 55000). Linux takes any
// rate through termios2 (BOTHER); the POSIX layer says it cannot.
#include <cstdint>
#include <string>

#include "platform/os.h"

namespace omv::platform {

// Sets both directions of the open tty `fd` to `baud`; Error{unsupported} where the OS cannot.
#define OMV_PLATFORM_CUSTOM_BAUD void set_custom_baud(int fd, uint32_t baud, const std::string& path);
namespace linux_impl { OMV_PLATFORM_CUSTOM_BAUD }
namespace posix_impl { OMV_PLATFORM_CUSTOM_BAUD }
namespace linux_impl { inline constexpr bool kAnyBaudRate = true; }
namespace posix_impl { inline constexpr bool kAnyBaudRate = false; }
#undef OMV_PLATFORM_CUSTOM_BAUD

}  // namespace omv::platform
