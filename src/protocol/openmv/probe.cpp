#include "protocol/openmv/probe.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/error.h"
#include "protocol/openmv/legacy.h"
#include "protocol/openmv/packet.h"

namespace omv::protocol::openmv {

const char* to_string(Dialect dialect) {
  return dialect == Dialect::legacy_usbdbg ? "legacy USB-debug protocol" : "OpenMV Protocol";
}

std::vector<uint8_t> combined_probe() {
  std::vector<uint8_t> out;
  out.reserve(24);
  for (uint8_t b : legacy::encode(legacy::Command::script_running, legacy::answer_length(legacy::Command::script_running)))
    out.push_back(b);
  for (uint8_t b : encode(make_command(Opcode::proto_sync, 0, {0, 0, 0, 0}))) out.push_back(b);
  return out;
}

ProbeVerdict classify_probe_reply(std::span<const uint8_t> reply, bool final) {
  using Kind = ProbeVerdict::Kind;
  if (reply.empty()) return {final ? Kind::silence : Kind::undecided};

  // Our own bytes first: an echo holds a well-formed PROTO_SYNC, but nobody answered it.
  const auto probe_bytes = combined_probe();
  const size_t common = std::min(reply.size(), probe_bytes.size());
  const bool echo_so_far = std::equal(reply.begin(), reply.begin() + static_cast<std::ptrdiff_t>(common), probe_bytes.begin());
  if (echo_so_far && (common >= legacy::kHeaderSize || final)) return {Kind::echo};
  if (echo_so_far) return {Kind::undecided};

  PacketReader reader;
  reader.feed(reply);
  while (auto item = reader.next())
    if (item->payload_ok && (item->packet.flags & (flags::ack | flags::nak))) return {Kind::protocol};

  // A packet may still be on its way: its sync word is here but not all of it.
  const uint8_t sync[] = {0xAA, 0xD5};
  const bool partial_packet =
      std::search(reply.begin(), reply.end(), std::begin(sync), std::end(sync)) != reply.end() ||
      reply.back() == 0xAA;
  if (partial_packet && !final) return {Kind::undecided};

  if (reply.size() >= 4) {
    const uint32_t running = static_cast<uint32_t>(reply[0]) | (static_cast<uint32_t>(reply[1]) << 8) |
                             (static_cast<uint32_t>(reply[2]) << 16) | (static_cast<uint32_t>(reply[3]) << 24);
    if (running <= 1) return {Kind::legacy};
    return {Kind::garbage};
  }
  return {final ? Kind::garbage : Kind::undecided};
}

std::string hex_preview(std::span<const uint8_t> bytes) {
  std::string out;
  for (size_t i = 0; i < bytes.size() && i < 16; ++i) out += fmt::format("{}{:02x}", i ? " " : "", bytes[i]);
  if (bytes.size() > 16) out += fmt::format(" ... ({} bytes)", bytes.size());
  return out;
}

ProbeResult probe(transport::SerialPort& port, transport::Millis timeout) {
  using Kind = ProbeVerdict::Kind;
  using Clock = std::chrono::steady_clock;
  const auto probe_bytes = combined_probe();
  port.write(probe_bytes);
  port.drain();

  std::vector<uint8_t> reply;
  ProbeVerdict verdict;
  const auto deadline = Clock::now() + timeout;
  uint8_t chunk[256];
  for (;;) {
    const auto left = std::chrono::duration_cast<transport::Millis>(deadline - Clock::now());
    const bool final = left.count() <= 0;
    if (!final) {
      const size_t n = port.read(chunk, left);
      reply.insert(reply.end(), chunk, chunk + n);
    }
    verdict = classify_probe_reply(reply, final || Clock::now() >= deadline);
    if (verdict.kind != Kind::undecided) break;
  }

  switch (verdict.kind) {
    case Kind::protocol: return {Dialect::openmv_protocol, std::move(reply)};
    case Kind::legacy: return {Dialect::legacy_usbdbg, std::move(reply)};
    case Kind::silence:
      fail(ErrorKind::timeout,
           fmt::format("{}: no answer to the OpenMV debug probe within {} ms", port.path(), timeout.count()),
           "the camera may be busy or hung (unplug and re-plug it), not an OpenMV camera running firmware, "
           "or another program (a serial terminal, ModemManager) is reading the port");
    case Kind::echo:
      fail(ErrorKind::device_error,
           fmt::format("{}: the port sent the probe back unchanged ({})", port.path(), hex_preview(reply)),
           "this is a terminal or loopback, or firmware without the debug protocol at 921600 baud; "
           "check that the port belongs to the camera");
    default:
      fail(ErrorKind::device_error,
           fmt::format("{}: unexpected answer to the OpenMV debug probe: {}", port.path(), hex_preview(reply)),
           "the device on this port does not speak either OpenMV debug protocol; if it is an OpenMV camera, "
           "close other programs using the port and re-plug it");
  }
}

}  // namespace omv::protocol::openmv
