#pragma once
// The address of a unix socket whose path may be longer than sun_path (about 104 bytes): a sim
// bus in a deep temporary folder. Linux reaches it through /proc/self/fd/N/<name> of an O_PATH
// fd of its folder; the POSIX layer has no such alias and says the path is too long.
#include <sys/socket.h>
#include <sys/un.h>

#include <filesystem>

#include "platform/os.h"

namespace omv::platform {

struct UnixAddress {
  sockaddr_un addr{};
  int dir_fd = -1;  // held open while addr refers to it
  UnixAddress() = default;
  UnixAddress(const UnixAddress&) = delete;
  UnixAddress& operator=(const UnixAddress&) = delete;
  ~UnixAddress();
};

// Fills `a` for `path`; throws Error{io} when the folder cannot be opened or the path is too long.
#define OMV_PLATFORM_UNIX_ADDRESS void make_unix_address(const std::filesystem::path& path, UnixAddress& a);
namespace linux_impl { OMV_PLATFORM_UNIX_ADDRESS }
namespace posix_impl { OMV_PLATFORM_UNIX_ADDRESS }
#undef OMV_PLATFORM_UNIX_ADDRESS

}  // namespace omv::platform
