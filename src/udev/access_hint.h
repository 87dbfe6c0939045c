#pragma once
// The hint every "permission denied" in omv carries: what exactly to run so that this user can
// open cameras without root. It looks at the system: are omv's rules installed, is the user in
// their group.
#include <string>

#include "core/error.h"

namespace omv::udev {

inline constexpr const char* kRulesFile = "/etc/udev/rules.d/60-omv.rules";
// Where the package puts the same rules (a file in /etc of the same name overrides it).
inline constexpr const char* kPackagedRulesFile = "/usr/lib/udev/rules.d/60-omv.rules";
inline constexpr const char* kDefaultGroup = "plugdev";

// E.g. "run 'sudo omv udev install', then unplug and re-plug the camera" or "you are not in
// group plugdev: run 'sudo usermod -aG plugdev alice' and log in again".
std::string access_hint();
// Error{permission} for `what` ("cannot open /dev/ttyACM0") with access_hint().
Error permission_denied(const std::string& what);

}  // namespace omv::udev
