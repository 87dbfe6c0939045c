#include "discovery/port_holders.h"

#include <fmt/format.h>

namespace omv::discovery {

std::optional<std::vector<PortHolder>> port_holders(const std::string& path) {
  return platform::os::device_holders(path);
}

std::string describe_holders(const std::vector<PortHolder>& holders) {
  std::string out;
  for (const auto& h : holders) out += fmt::format("{}{} (pid {})", out.empty() ? "" : ", ", h.name, h.pid);
  return out;
}

}  // namespace omv::discovery
