#include "protocol/dfu/dfu_types.h"

namespace omv::dfu {

const char* request_name(uint8_t request) {
  static const char* names[] = {"DETACH", "DNLOAD", "UPLOAD", "GETSTATUS", "CLRSTATUS", "GETSTATE", "ABORT"};
  return request < 7 ? names[request] : "UNKNOWN";
}

const char* state_name(uint8_t state) {
  static const char* names[] = {"appIDLE", "appDETACH", "dfuIDLE", "dfuDNLOAD-SYNC", "dfuDNBUSY", "dfuDNLOAD-IDLE",
                                "dfuMANIFEST-SYNC", "dfuMANIFEST", "dfuMANIFEST-WAIT-RESET", "dfuUPLOAD-IDLE",
                                "dfuERROR"};
  return state < 11 ? names[state] : "INVALID-STATE";
}

const char* status_name(uint8_t status) {
  static const char* names[] = {"OK", "errTARGET", "errFILE", "errWRITE", "errERASE", "errCHECK_ERASED",
                                "errPROG", "errVERIFY", "errADDRESS", "errNOTDONE", "errFIRMWARE", "errVENDOR",
                                "errUSBR", "errPOR", "errUNKNOWN", "errSTALLEDPKT"};
  return status < 16 ? names[status] : "INVALID";
}

const char* status_text(uint8_t status) {
  static const char* texts[] = {
      "No error condition is present",
      "File is not targeted for use by this device",
      "File is for this device but fails some vendor-specific test",
      "Device is unable to write memory",
      "Memory erase function failed",
      "Memory erase check failed",
      "Program memory function failed",
      "Programmed memory failed verification",
      "Cannot program memory due to received address that is out of range",
      "Received DFU_DNLOAD with wLength = 0, but device does not think that it has all data yet",
      "Device's firmware is corrupt. It cannot return to run-time (non-DFU) operations",
      "iString indicates a vendor specific error",
      "Device detected unexpected USB reset signalling",
      "Device detected unexpected power on reset",
      "Something went wrong, but the device does not know what it was",
      "Device stalled an unexpected request"};
  return status < 16 ? texts[status] : "invalid status code";
}

std::optional<StatusReply> parse_status(std::span<const uint8_t> b) {
  if (b.size() < 6) return std::nullopt;
  StatusReply r;
  r.status = b[0];
  r.poll_timeout_ms = static_cast<uint32_t>(b[1] | (b[2] << 8) | (b[3] << 16));
  r.state = b[4];
  r.istring = b[5];
  return r;
}

std::array<uint8_t, 6> encode_status(const StatusReply& r) {
  return {r.status, static_cast<uint8_t>(r.poll_timeout_ms), static_cast<uint8_t>(r.poll_timeout_ms >> 8),
          static_cast<uint8_t>(r.poll_timeout_ms >> 16), r.state, r.istring};
}

std::vector<uint8_t> FunctionalDescriptor::encode() const {
  return {9, 0x21, attributes, static_cast<uint8_t>(detach_timeout_ms), static_cast<uint8_t>(detach_timeout_ms >> 8),
          static_cast<uint8_t>(transfer_size), static_cast<uint8_t>(transfer_size >> 8),
          static_cast<uint8_t>(dfu_version), static_cast<uint8_t>(dfu_version >> 8)};
}

std::optional<FunctionalDescriptor> find_functional_descriptor(std::span<const uint8_t> extra) {
  size_t pos = 0;
  while (pos + 2 <= extra.size()) {
    size_t len = extra[pos];
    if (len < 2 || pos + len > extra.size()) return std::nullopt;
    if (extra[pos + 1] == 0x21 && len >= 7) {
      FunctionalDescriptor d;
      d.attributes = extra[pos + 2];
      d.detach_timeout_ms = static_cast<uint16_t>(extra[pos + 3] | (extra[pos + 4] << 8));
      d.transfer_size = static_cast<uint16_t>(extra[pos + 5] | (extra[pos + 6] << 8));
      d.dfu_version = len >= 9 ? static_cast<uint16_t>(extra[pos + 7] | (extra[pos + 8] << 8)) : 0x0100;
      return d;
    }
    pos += len;
  }
  return std::nullopt;
}

}  // namespace omv::dfu
