#pragma once
// Whether this host has udev, the only place omv's device rules mean anything. Linux assumes it
// (a container without it still takes rules for its host); the POSIX layer looks for udev's
// folders, which macOS and the BSDs do not have.
#include "platform/os.h"

namespace omv::platform {

#define OMV_PLATFORM_UDEV bool has_udev();
namespace linux_impl { OMV_PLATFORM_UDEV }
namespace posix_impl { OMV_PLATFORM_UDEV }
#undef OMV_PLATFORM_UDEV

}  // namespace omv::platform
