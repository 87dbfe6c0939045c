#include "protocol/openmv/client.h"

#include <fmt/format.h>

#include "core/error.h"
#include "protocol/openmv/probe.h"

namespace omv::protocol::openmv {

void ProtocolClient::acknowledge(const Packet& packet) {
  Packet ack;
  ack.seq = packet.seq;
  ack.channel = packet.channel;
  ack.opcode = packet.opcode;
  ack.flags = flags::ack;
  port_.write(encode(ack));
}

Packet ProtocolClient::transact(Opcode opcode, std::vector<uint8_t> payload) {
  using Clock = std::chrono::steady_clock;
  port_.write(encode(make_command(opcode, seq_, std::move(payload))));
  const auto deadline = Clock::now() + timeout_;
  std::vector<uint8_t> seen;
  uint8_t chunk[512];
  for (;;) {
    while (auto item = reader_.next()) {
      const Packet& p = item->packet;
      if (!item->payload_ok)
        fail(ErrorKind::device_error,
             fmt::format("{}: answer to opcode 0x{:02x} has a bad payload CRC", port_.path(), p.opcode),
             "a noisy cable or another program writing to the port; re-plug the camera and retry");
      if (p.flags & flags::ack_req) acknowledge(p);
      if ((p.flags & flags::event) || p.opcode != static_cast<uint8_t>(opcode)) continue;
      seq_ = static_cast<uint8_t>(p.seq + 1);
      return p;
    }
    const auto left = std::chrono::duration_cast<transport::Millis>(deadline - Clock::now());
    if (left.count() <= 0) break;
    const size_t n = port_.read(chunk, left);
    seen.insert(seen.end(), chunk, chunk + n);
    reader_.feed(std::span<const uint8_t>(chunk, n));
  }
  if (seen.empty())
    fail(ErrorKind::timeout,
         fmt::format("{}: no answer to OpenMV Protocol opcode 0x{:02x} within {} ms", port_.path(),
                     static_cast<unsigned>(opcode), timeout_.count()),
         "the camera stopped responding; unplug and re-plug it");
  fail(ErrorKind::device_error,
       fmt::format("{}: no valid answer to OpenMV Protocol opcode 0x{:02x}; received {}", port_.path(),
                   static_cast<unsigned>(opcode), hex_preview(seen)),
       "another program may be using the port; close it and retry");
}

void ProtocolClient::sync() {
  seq_ = 0;
  const Packet answer = transact(Opcode::proto_sync);
  if (!answer.is_ack())
    fail(ErrorKind::device_error, fmt::format("{}: the camera refused PROTO_SYNC", port_.path()));
  seq_ = 0;
}

std::optional<VersionInfo> ProtocolClient::version() {
  const Packet answer = transact(Opcode::proto_version);
  if (answer.is_nak()) return std::nullopt;
  auto info = decode_version_payload(answer.payload);
  if (!info)
    fail(ErrorKind::device_error,
         fmt::format("{}: PROTO_VERSION answer is {} bytes, expected 16", port_.path(), answer.payload.size()));
  return info;
}

void ProtocolClient::send_without_answer(Opcode opcode) {
  try {
    port_.write(encode(make_command(opcode, seq_)));
    port_.drain();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::no_device) throw;  // it reset before the bytes were drained
  }
}

}  // namespace omv::protocol::openmv
