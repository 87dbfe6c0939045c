#pragma once
// What the RSP client talks through: a TCP connection to a GDB server, or an in-memory peer in
// tests and fuzzers.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace omv::protocol::gdb {

using Millis = std::chrono::milliseconds;

class ByteStream {
 public:
  virtual ~ByteStream() = default;
  // "127.0.0.1:3333": what error messages name.
  virtual std::string describe() const = 0;
  // Throws Error{no_device} when the peer has gone.
  virtual void write(std::span<const uint8_t> data) = 0;
  // Whatever arrives within `timeout` (at least one byte), or 0 when nothing did. Throws
  // Error{no_device} when the peer closed the connection.
  virtual size_t read(std::span<uint8_t> data, Millis timeout) = 0;
};

}  // namespace omv::protocol::gdb
