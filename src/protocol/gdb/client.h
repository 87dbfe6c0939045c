#pragma once
// A GDB Remote Serial Protocol client: what a debugger host needs to program a target through
// any GDB server (OpenOCD, pyOCD, probe-rs, J-Link, ST-LINK, QEMU). Speaks over a ByteStream,
// so tests drive it with an in-memory server. Acks until the server offers no-ack mode;
// replies are checksum-checked (a bad one is asked again with `-`) and run-length expanded.
// Every failure names the server (host:port) and the command.
#include <cstdint>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "protocol/gdb/byte_stream.h"
#include "protocol/gdb/memory_map.h"
#include "protocol/gdb/packet.h"

namespace omv::protocol::gdb {

struct ClientOptions {
  Millis reply_timeout{5000};    // memory reads and writes, queries
  Millis flash_timeout{120000};  // vFlash*, qCRC and monitor commands: the server works on the target
  int retries = 3;               // resends after a `-` or a reply with a bad checksum
};

// The qSupported reply: `name+`, `name-`, `name?` and `name=value` features.
struct Features {
  std::map<std::string, std::string> values;  // name -> "+", "-", "?" or the value
  size_t packet_size = 400;                   // largest packet the server takes (PacketSize is hex)
  bool supports(const std::string& name) const;
};
Features parse_features(std::string_view reply);

// A qCRC answer: the CRC, or why there is none.
struct CrcReply {
  std::optional<uint32_t> crc;
  std::string reply;  // the raw reply: "" (not supported), "E01", "QC1" (a wrong answer)...
};

using Progress = std::function<void(uint64_t done)>;

class Client {
 public:
  explicit Client(ByteStream& stream, ClientOptions options = {});

  // qSupported, then QStartNoAckMode when the server offers it.
  const Features& connect();
  const Features& features() const { return features_; }
  bool acks() const { return acks_; }
  const std::string& server() const { return server_; }

  // One request and its reply (runs expanded, escapes kept). Throws Error{timeout} naming the
  // server and `what` when no reply comes within `timeout`.
  std::string request(std::string_view payload, Millis timeout, std::string_view what = {});

  // m, in pieces that fit the server's packets; throws Error{device_error} on an E reply.
  std::vector<uint8_t> read_memory(uint64_t address, size_t length, const Progress& progress = {});
  // X (binary), or M (hex) when the server does not take X (probed once, as gdb does).
  void write_memory(uint64_t address, std::span<const uint8_t> data);
  bool uses_binary_writes() const { return binary_writes_.value_or(false); }
  CrcReply crc(uint64_t address, uint64_t length);
  // qXfer:memory-map:read, in pieces; nullopt when the server does not offer a map.
  std::optional<std::string> memory_map_xml();
  void flash_erase(uint64_t address, uint64_t length);
  void flash_write(uint64_t address, std::span<const uint8_t> data);
  void flash_done();
  // qRcmd: the server's console output; nullopt when it has no monitor commands.
  std::optional<std::string> monitor(std::string_view command);
  // `c`: the target runs; no reply is awaited (it comes when the target stops).
  void resume();
  // The interrupt byte (0x03) to a running target; returns its stop reply (S.. or T..), skipping
  // console output. Throws Error{timeout} when the target does not stop within `timeout`.
  std::string interrupt(Millis timeout);
  // `D`: the server lets the target go (OpenOCD, pyOCD and QEMU resume it) and ends the session.
  void detach();

  // Largest m read per packet; largest payload of a packet we send.
  size_t read_chunk() const;
  size_t payload_budget() const;

 private:
  void send_packet(std::string_view payload, std::string_view what);
  std::string receive_packet(Millis timeout, std::string_view what);
  void read_more(std::chrono::steady_clock::time_point deadline, Millis timeout, std::string_view what);
  [[noreturn]] void server_error(const std::string& reply, std::string_view what);
  // `command` ADDR then `separator` and escaped data, in packets of the server's size, each
  // answered OK.
  void send_binary(const char* command, char separator, uint64_t address, std::span<const uint8_t> data,
                   Millis timeout);

  ByteStream& stream_;
  ClientOptions options_;
  std::string server_;
  Features features_;
  bool acks_ = true;
  std::optional<bool> binary_writes_;
  PacketReader reader_;
};

}  // namespace omv::protocol::gdb
