#pragma once
// Which debug protocol a running camera speaks, found with one write: a legacy SCRIPT_RUNNING
// command followed by an OpenMV Protocol PROTO_SYNC carrying four zero bytes. Legacy firmware
// answers the first with a 4-byte 0/1; protocol firmware skips it and acknowledges the sync.
#include <chrono>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "transport/serial.h"

namespace omv::protocol::openmv {

enum class Dialect { legacy_usbdbg, openmv_protocol };
const char* to_string(Dialect dialect);

std::vector<uint8_t> combined_probe();

struct ProbeVerdict {
  enum class Kind {
    undecided,  // keep reading
    legacy,     // USB-debug firmware (<= 4.8.x)
    protocol,   // OpenMV Protocol firmware (5.x)
    silence,    // nothing came back
    echo,       // our own bytes came back: a REPL or a loopback, not the debug protocol
    garbage,    // bytes that are neither
  };
  Kind kind = Kind::undecided;
};
// `final`: no more bytes will come (the deadline passed), so decide with what there is.
ProbeVerdict classify_probe_reply(std::span<const uint8_t> reply, bool final);

struct ProbeResult {
  Dialect dialect;
  std::vector<uint8_t> reply;
};
// Writes the probe and reads until the answer is decisive or `timeout` passes. Silence, an
// echo or garbage is an Error naming the port and the likely cause.
ProbeResult probe(transport::SerialPort& port, transport::Millis timeout);

// Up to 16 bytes as "aa d5 00 ...", for messages.
std::string hex_preview(std::span<const uint8_t> bytes);

}  // namespace omv::protocol::openmv
