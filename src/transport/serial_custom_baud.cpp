#include "transport/serial_custom_baud.h"

#include "platform/custom_baud.h"

namespace omv::transport {

void set_custom_baud(int fd, uint32_t baud, const std::string& path) { platform::os::set_custom_baud(fd, baud, path); }

}  // namespace omv::transport
