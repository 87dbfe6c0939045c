#pragma once
// The wire form of a device model's identity: the standard USB device and configuration
// descriptors and the string table a USB device controller presents to the host.
// Pure data: the gadget host hands these to the kernel and answers string requests from them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "transport/usb.h"

namespace omv::sim::gadget {

struct Descriptors {
  std::vector<uint8_t> device;        // 18-byte device descriptor
  std::vector<uint8_t> config;        // configuration descriptor with every interface/alt/endpoint
  std::vector<std::string> strings;   // strings[i] is string index i + 1 (UTF-8)
};

// Builds the descriptors of one configuration holding every interface and alt setting of
// `info`. Interface names and the manufacturer/product/serial strings get string indices
// (identical strings share one); class-specific bytes (`extra`, e.g. the DFU functional
// descriptor) follow their interface descriptor verbatim. Throws Error{failure} when the
// identity cannot be described (an empty or malformed `extra`, too many interfaces).
Descriptors build_descriptors(const transport::UsbDeviceInfo& info, uint8_t max_packet0 = 64);

// GET_DESCRIPTOR(STRING, index): index 0 is the language list (US English only); any other
// index answers in UTF-16LE for any language id. nullopt for an index that does not exist.
std::optional<std::vector<uint8_t>> string_descriptor(const Descriptors& d, uint8_t index);

}  // namespace omv::sim::gadget
