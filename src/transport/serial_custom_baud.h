#pragma once
// A baud rate termios has no constant for (the Alif Secure Enclave's 55000): platform/custom_baud.h.
#include <cstdint>
#include <string>

namespace omv::transport {

// Sets both directions of the open tty `fd` to `baud`; Error{unsupported} where the OS cannot.
void set_custom_baud(int fd, uint32_t baud, const std::string& path);

}  // namespace omv::transport
