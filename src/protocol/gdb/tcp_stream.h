#pragma once
// A TCP connection to a GDB server (POSIX sockets, TCP_NODELAY: RSP is one small packet per
// round trip).
#include <memory>
#include <string>

#include "protocol/gdb/byte_stream.h"

namespace omv::protocol::gdb {

struct Endpoint {
  std::string host;
  uint16_t port = 0;
  std::string describe() const;  // "host:port", [v6]:port
};

// "HOST:PORT", "[::1]:PORT" or ":PORT"/"PORT" (localhost). Throws Error{usage}.
Endpoint parse_endpoint(const std::string& text);

// Throws Error{no_device} when the connection is refused (with the hint to start the server),
// Error{timeout} naming host:port when it cannot be made within `timeout`, Error{network}
// when the host does not resolve.
std::unique_ptr<ByteStream> connect_tcp(const Endpoint& endpoint, Millis timeout);

}  // namespace omv::protocol::gdb
