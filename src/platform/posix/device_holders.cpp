#include "platform/device_holders.h"

namespace omv::platform::posix_impl {

std::optional<std::vector<DeviceHolder>> device_holders(const std::string&) { return std::nullopt; }

}  // namespace omv::platform::posix_impl
