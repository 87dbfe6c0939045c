#pragma once
// Host side of the OpenMV Protocol over a serial port: send a command, collect its answer,
// acknowledge answers that ask for it, skip events. Only what resetting a camera needs.
#include <optional>

#include "protocol/openmv/packet.h"
#include "transport/serial.h"

namespace omv::protocol::openmv {

class ProtocolClient {
 public:
  ProtocolClient(transport::SerialPort& port, transport::Millis timeout) : port_(port), timeout_(timeout) {}

  // PROTO_SYNC: resets the camera's protocol state and sequence numbers.
  void sync();
  // PROTO_VERSION; nullopt when the firmware does not know the command (protocol 1.0.0).
  std::optional<VersionInfo> version();
  // SYS_BOOT / SYS_RESET: the camera resets and never answers.
  void send_without_answer(Opcode opcode);
  // After a probe that already synchronised the camera.
  void assume_synced() { seq_ = 0; }

 private:
  Packet transact(Opcode opcode, std::vector<uint8_t> payload = {});
  void acknowledge(const Packet& packet);

  transport::SerialPort& port_;
  transport::Millis timeout_;
  PacketReader reader_;
  uint8_t seq_ = 0;
};

}  // namespace omv::protocol::openmv
