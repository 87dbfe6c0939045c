#include "protocol/openmv/reset.h"

#include "core/error.h"
#include "protocol/openmv/client.h"

namespace omv::protocol::openmv {
namespace {

// The last command resets the camera: its port may vanish before the bytes are even drained,
// which is the expected outcome, not a failure.
void send_final(transport::SerialPort& port, std::span<const uint8_t> bytes) {
  try {
    port.write(bytes);
    port.drain();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::no_device) throw;
  }
}

void drain_input(transport::SerialPort& port) {
  uint8_t sink[256];
  while (port.read(sink, transport::Millis(0)) > 0) {
  }
}

ResetOutcome reset_protocol(transport::SerialPort& port, const ResetTimeouts& timeouts) {
  ResetOutcome out;
  out.dialect = Dialect::openmv_protocol;
  ProtocolClient client(port, timeouts.answer);
  client.assume_synced();
  try {
    out.versions = client.version();
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::timeout) throw;
    client.sync();  // firmware that ignores the command: start again from a known sequence
  }
  if (timeouts.plain_reset || (out.versions && out.versions->bootloader < kFirstSafeForcedBootloader)) {
    out.command = "SYS_RESET";
    out.forced = false;
    client.send_without_answer(Opcode::sys_reset);
  } else {
    out.command = "SYS_BOOT";
    client.send_without_answer(Opcode::sys_boot);
  }
  return out;
}

ResetOutcome reset_legacy(transport::SerialPort& port, const ResetTimeouts& timeouts) {
  ResetOutcome out;
  out.dialect = Dialect::legacy_usbdbg;
  drain_input(port);  // the rest of the probe may have produced more bytes
  const auto query = legacy::encode(legacy::Command::fw_version, legacy::answer_length(legacy::Command::fw_version));
  port.write(query);
  std::vector<uint8_t> answer;
  uint8_t chunk[64];
  const auto deadline = std::chrono::steady_clock::now() + timeouts.answer;
  while (answer.size() < 12) {
    const auto left = std::chrono::duration_cast<transport::Millis>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) break;
    const size_t n = port.read(chunk, left);
    answer.insert(answer.end(), chunk, chunk + n);
  }
  out.legacy_firmware = legacy::decode_fw_version(answer);  // informative only: reset regardless
  if (timeouts.plain_reset) {
    out.command = "USBDBG SYS_RESET";
    out.forced = false;
    send_final(port, legacy::encode(legacy::Command::sys_reset, 0));
    return out;
  }
  out.command = "USBDBG SYS_RESET_TO_BL";
  send_final(port, legacy::encode(legacy::Command::sys_reset_to_bootloader, 0));
  return out;
}

}  // namespace

ResetOutcome reset_to_bootloader(transport::SerialPort& port, const ResetTimeouts& timeouts) {
  drain_input(port);
  const ProbeResult found = probe(port, timeouts.probe);
  return found.dialect == Dialect::openmv_protocol ? reset_protocol(port, timeouts) : reset_legacy(port, timeouts);
}

}  // namespace omv::protocol::openmv
