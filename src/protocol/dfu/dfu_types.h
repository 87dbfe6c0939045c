#pragma once
// USB DFU 1.1 (and ST DfuSe 1.1a) constants, the GETSTATUS reply and the DFU functional
// descriptor: shared by the host engines and the device models.
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace omv::dfu {

enum Request : uint8_t { DETACH = 0, DNLOAD = 1, UPLOAD = 2, GETSTATUS = 3, CLRSTATUS = 4, GETSTATE = 5, ABORT = 6 };

// bmRequestType of class requests to an interface.
constexpr uint8_t kOut = 0x21;
constexpr uint8_t kIn = 0xA1;

enum class State : uint8_t {
  appIDLE = 0, appDETACH = 1, dfuIDLE = 2, dfuDNLOAD_SYNC = 3, dfuDNBUSY = 4, dfuDNLOAD_IDLE = 5,
  dfuMANIFEST_SYNC = 6, dfuMANIFEST = 7, dfuMANIFEST_WAIT_RESET = 8, dfuUPLOAD_IDLE = 9, dfuERROR = 10,
};

enum class Status : uint8_t {
  OK = 0, errTARGET, errFILE, errWRITE, errERASE, errCHECK_ERASED, errPROG, errVERIFY, errADDRESS,
  errNOTDONE, errFIRMWARE, errVENDOR, errUSBR, errPOR, errUNKNOWN, errSTALLEDPKT,
};

const char* request_name(uint8_t request);
const char* state_name(uint8_t state);      // "dfuDNBUSY"; "state 17" style text for unknown values
const char* status_name(uint8_t status);    // "errWRITE"
const char* status_text(uint8_t status);    // "Device is unable to write memory"

struct StatusReply {
  uint8_t status = 0;
  uint32_t poll_timeout_ms = 0;  // 24-bit bwPollTimeout
  uint8_t state = 0;
  uint8_t istring = 0;
};

std::optional<StatusReply> parse_status(std::span<const uint8_t> bytes);  // needs 6 bytes
std::array<uint8_t, 6> encode_status(const StatusReply& reply);

struct FunctionalDescriptor {
  uint8_t attributes = 0;
  uint16_t detach_timeout_ms = 0;
  uint16_t transfer_size = 0;
  uint16_t dfu_version = 0x0100;  // 0x0100 when the descriptor is the 7-byte DFU 1.0 form

  bool can_download() const { return attributes & 0x01; }
  bool can_upload() const { return attributes & 0x02; }
  bool manifestation_tolerant() const { return attributes & 0x04; }
  bool will_detach() const { return attributes & 0x08; }
  bool is_dfuse() const { return dfu_version == 0x011A; }
  std::vector<uint8_t> encode() const;  // 9 bytes
};

// Finds the DFU functional descriptor (type 0x21) in a class-specific descriptor list (an
// interface's "extra" bytes). Malformed lists yield nullopt, never a read past the end.
std::optional<FunctionalDescriptor> find_functional_descriptor(std::span<const uint8_t> extra);

constexpr uint8_t kDfuClass = 0xFE;
constexpr uint8_t kDfuSubclass = 0x01;
constexpr uint8_t kDfuModeProtocol = 0x02;

}  // namespace omv::dfu
