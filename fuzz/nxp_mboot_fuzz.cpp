// The MCU bootloader's HID reports and response packets come from a device: every parser of
// them, and the engine walking its phases over them, must never crash on any bytes.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/error.h"
#include "nxp_fuzz_device.h"
#include "protocol/nxp/mboot_client.h"
#include "protocol/nxp/mboot_frame.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace mb = omv::protocol::nxp::mboot;
  std::span<const uint8_t> bytes(data, size);
  if (auto report = mb::decode_report(bytes)) {
    if (auto packet = mb::decode_packet(report->payload)) {
      auto again = mb::decode_packet(mb::encode_packet(*packet));
      if (!again || !(*again == *packet)) __builtin_trap();
      (void)mb::describe_command(*packet);
    }
  }
  if (size == 0) return 0;
  // The first byte picks the operation; the rest is what the device answers.
  omv::fuzz::ScriptedHid hid(bytes.subspan(1));
  mb::ClientOptions options;
  options.max_data_payload = 32;
  options.abort_poll_every = 1;
  mb::Client client(hid, options);
  std::vector<uint8_t> payload(200, 0xA5);
  try {
    switch (data[0] % 6) {
      case 0: client.read_memory(0x60000000, 300); break;
      case 1: client.write_memory(0x60040000, payload); break;
      case 2: client.get_property(1); break;
      case 3: client.efuse_read_once(6); break;
      case 4: client.flash_erase_region(0x60400000, 0x1000); break;
      default: client.reset(); break;
    }
  } catch (const omv::Error&) {
  }
  return 0;
}
