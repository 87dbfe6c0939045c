#pragma once
// TCP ports for GDB servers: which are listening (platform/tcp_listen.h, which never connects
// to a server that quits after its first client), who owns them, and picking a free one.
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/tcp_listen.h"

namespace omv::debug {

using platform::PortOwner;
// Who listens on `port`, when the OS lets us see it.
std::optional<PortOwner> port_owner(uint16_t port);

// True when nothing listens on the port and 127.0.0.1:port can be bound.
bool port_is_free(uint16_t port);

// "port 3333 is in use (by pid 42, qemu-system-arm)" / "port 3333 is in use".
std::string port_in_use_text(uint16_t port);

// The first port from `preferred` upward whose `count` consecutive ports are all free.
std::optional<uint16_t> find_free_ports(uint16_t preferred, int count = 1, int tries = 200);

}  // namespace omv::debug
