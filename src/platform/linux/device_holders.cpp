#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "platform/device_holders.h"

namespace omv::platform::linux_impl {

std::optional<std::vector<DeviceHolder>> device_holders(const std::string& path) {
  std::vector<DeviceHolder> out;
  struct stat target {};
  if (::stat(path.c_str(), &target) != 0) return out;
  const int self = static_cast<int>(::getpid());
  std::error_code ec;
  for (const auto& proc : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = proc.path().filename().string();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    const int pid = std::stoi(name);
    if (pid == self) continue;
    std::error_code fd_ec;
    for (const auto& fd : std::filesystem::directory_iterator(proc.path() / "fd", fd_ec)) {
      struct stat st {};
      if (::stat(fd.path().c_str(), &st) != 0) continue;
      if (!S_ISCHR(st.st_mode) || st.st_rdev != target.st_rdev) continue;
      DeviceHolder holder{pid, {}};
      std::ifstream comm(proc.path() / "comm");
      std::getline(comm, holder.name);
      out.push_back(holder);
      break;
    }
  }
  return out;
}

}  // namespace omv::platform::linux_impl
