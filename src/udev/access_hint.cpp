#include "udev/access_hint.h"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <fmt/format.h>

#include <fstream>
#include <regex>
#include <vector>

namespace omv::udev {
namespace {

// The group the installed rules grant access to, if they are installed.
std::string installed_group() {
  std::ifstream in(kRulesFile);
  if (!in) in = std::ifstream(kPackagedRulesFile);
  if (!in) return {};
  const std::regex group_re(R"(GROUP="([^"]+)\")");
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    if (std::regex_search(line, m, group_re)) return m[1];
  }
  return kDefaultGroup;
}

bool in_group(const std::string& name) {
  const group* g = ::getgrnam(name.c_str());
  if (!g) return false;
  const int n = ::getgroups(0, nullptr);
  std::vector<gid_t> groups(static_cast<size_t>(n > 0 ? n : 0));
  if (n > 0 && ::getgroups(n, groups.data()) < 0) return false;
  if (::getegid() == g->gr_gid) return true;
  for (gid_t gid : groups)
    if (gid == g->gr_gid) return true;
  return false;
}

std::string user_name() {
  if (const passwd* pw = ::getpwuid(::getuid())) return pw->pw_name;
  return "$USER";
}

}  // namespace

std::string access_hint() {
  const std::string group = installed_group();
  if (group.empty())
    return "install omv's udev rules: 'sudo omv udev install', then unplug and re-plug the camera";
  if (!in_group(group))
    return fmt::format("omv's udev rules grant group '{}', which you are not in: 'sudo usermod -aG {} {}', "
                       "then log out and in again",
                       group, group, user_name());
  return "omv's udev rules are installed and you are in their group: unplug and re-plug the camera so they "
         "apply (or run 'sudo omv udev install' again to reload them)";
}

Error permission_denied(const std::string& what) {
  return Error(ErrorKind::permission, what + ": permission denied", access_hint());
}

}  // namespace omv::udev
