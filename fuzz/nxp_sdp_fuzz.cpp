// The ROM's SDP answers (HAB and status reports) and command frames: parsers and the engine must
// never crash on any bytes.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "nxp_fuzz_device.h"
#include "protocol/nxp/sdp_client.h"
#include "protocol/nxp/sdp_frame.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace sdp = omv::protocol::nxp::sdp;
  std::span<const uint8_t> bytes(data, size);
  if (auto in = sdp::decode_in_report(bytes)) (void)sdp::status_word_name(sdp::word_be(in->payload));
  if (auto command = sdp::decode_command(bytes)) {
    auto again = sdp::decode_command(sdp::encode_command(*command));
    if (!again || !(*again == *command)) __builtin_trap();
    (void)sdp::describe_command(*command);
  }
  if (size == 0) return 0;
  omv::fuzz::ScriptedHid hid(bytes.subspan(1));
  sdp::ClientOptions options;
  options.jump_error_wait = omv::transport::Millis{0};
  sdp::Client client(hid, options);
  std::vector<uint8_t> image(3000, 0x5A);
  try {
    switch (data[0] % 5) {
      case 0: client.write_file(0x20001C00, image); break;
      case 1: client.jump_address(0x20001C00); break;
      case 2: client.read_register(0x401F4000, 130); break;
      case 3: client.write_register(0x20000000, 0x12345678); break;
      default: client.error_status(); break;
    }
  } catch (const omv::Error&) {
  }
  return 0;
}
