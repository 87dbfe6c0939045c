#pragma once
// The sim bus wire protocol between a virtual camera's host process and the sim transport
// backend, over the camera's Unix stream socket. Every message is a frame:
//   u32 LE length of what follows | u8 code | body
// Requests carry an Op code, replies a Status code. Little-endian integers throughout.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace omv::sim::wire {

enum class Op : uint8_t {
  hello = 1,      // u64 generation the client enumerated; reply ok or gone
  control = 2,    // 8-byte setup packet + OUT data; reply: IN data
  bulk_out = 3,   // u8 endpoint + data
  bulk_in = 4,    // u8 endpoint + u32 max length; reply: data
  set_alt = 5,    // u8 interface + u8 alt
  reset = 6,      // port reset
  hid_write = 7,  // report (report id first)
  hid_read = 8,   // u32 timeout ms; reply: report, or ok with an empty body on timeout
  stats = 9,      // reply: JSON text
  fault = 10,     // fault spec text
  shutdown = 11,  // the camera process exits after replying
};

enum class Status : uint8_t { ok = 0, stall = 1, gone = 2, error = 3 };

struct Frame {
  uint8_t code = 0;
  std::vector<uint8_t> body;
};

// Send a whole frame; false when the peer has gone.
bool send_frame(int fd, uint8_t code, std::span<const uint8_t> body);
// Receive one frame. nullopt on EOF/reset; throws Error{timeout} when nothing arrives in time
// (timeout < 0 waits forever).
std::optional<Frame> recv_frame(int fd, std::chrono::milliseconds timeout);

// A connected or listening Unix socket for `path`. Paths longer than sockaddr_un allows are
// handled by platform/unix_address.h.
int connect_unix(const std::filesystem::path& path);  // -1 when nobody listens
int listen_unix(const std::filesystem::path& path);   // throws Error{io}

class Writer {
 public:
  Writer& u8(uint8_t v);
  Writer& u16(uint16_t v);
  Writer& u32(uint32_t v);
  Writer& u64(uint64_t v);
  Writer& bytes(std::span<const uint8_t> b);
  Writer& text(const std::string& s);
  const std::vector<uint8_t>& data() const { return data_; }

 private:
  std::vector<uint8_t> data_;
};

class Reader {
 public:
  explicit Reader(std::span<const uint8_t> data) : data_(data) {}
  uint8_t u8();
  uint16_t u16();
  uint32_t u32();
  uint64_t u64();
  std::span<const uint8_t> rest();
  bool ok() const { return ok_; }

 private:
  bool need(size_t n);
  std::span<const uint8_t> data_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace omv::sim::wire
