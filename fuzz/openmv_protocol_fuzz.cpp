// The bytes a serial port hands back are untrusted: the OpenMV Protocol packet reader, the probe
// classifier, the version decoder and the device model's parser must never crash on them.
#include <cstddef>
#include <cstdint>
#include <span>

#include "protocol/openmv/packet.h"
#include "protocol/openmv/probe.h"
#include "sim/models/openmv_app_model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace p = omv::protocol::openmv;
  const std::span<const uint8_t> bytes(data, size);
  // Fed in two chunks, split by the first byte, so reassembly across reads is exercised too.
  const size_t split = size ? data[0] % (size + 1) : 0;
  p::PacketReader reader;
  reader.feed(bytes.first(split));
  while (auto item = reader.next()) {
    (void)item->packet.nak_status();
    (void)p::decode_version_payload(item->packet.payload);
  }
  reader.feed(bytes.subspan(split));
  while (auto item = reader.next()) (void)p::encode(item->packet);
  (void)p::decode(bytes);
  (void)p::classify_probe_reply(bytes, false);
  (void)p::classify_probe_reply(bytes, true);

  omv::sim::AppFirmware firmware;
  firmware.legacy = size && (data[0] & 1);
  omv::sim::OpenmvAppModel model(firmware);
  (void)model.receive(bytes, p::kMagicBaud);
  return 0;
}
