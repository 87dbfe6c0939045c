#pragma once
// ST's USB DFU "phase" protocol (STM32CubeProgrammer's, AN5275; spoken by the STM32MP/N6 boot
// ROMs, TF-A, U-Boot stm32prog and ST's OpenBootloader), the parts both ends share:
//  - alt names "@<name> /0x<id>/1*<size><unit><a|e>": the phase id sits between the first pair
//    of slashes; a host maps phase → alt by parsing the names, never by alt index;
//  - GetPhase = DFU_UPLOAD on the virtual (0xF1) alt: byte 0 the phase the device wants next,
//    1..4 the download address (little-endian), 5..8 an offset, byte 9 (phase 0 with address
//    0xFFFFFFFF only) 1 = "send DETACH"; phase 0xFF carries an error text from byte 9;
//  - the product string names the stage ("... @Device ID /0x486, @Revision ID /0x....").
// Facts and sources: ../shared/reference/stm32-dfu-phases.md.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace omv::dfu::phases {

constexpr uint8_t kFlashLayout = 0x00;
constexpr uint8_t kFsbl = 0x01;
constexpr uint8_t kVirtual = 0xF1;
constexpr uint8_t kOtp = 0xF2;
constexpr uint8_t kEnd = 0xFE;
constexpr uint8_t kReset = 0xFF;  // also "error"
constexpr uint32_t kUndefinedAddress = 0xFFFFFFFF;
// Bytes the host asks for in a GetPhase (snagboot's figure; OpenBL answers min(wLength, 1024)).
constexpr uint16_t kGetPhaseLength = 512;

struct AltName {
  std::string name;        // "FSBL", "virtual", "Flashlayout"
  uint8_t phase = 0;       // the id between the slashes
  uint64_t size = 0;       // from "1*<size><unit>", bytes (0 when absent)
  bool writable = false;   // last letter 'e' (read+write) rather than 'a' (read-only)
};
// Parses "@FSBL /0x01/1*1Me" (and U-Boot's "@FlashLayout/0x00/1*256Ke ram 0x..."); nullopt
// when the string carries no /0x<id>/ part.
std::optional<AltName> parse_alt_name(std::string_view text);
std::string format_alt_name(const AltName& alt);  // "@FSBL /0x01/1*512Ke"

struct PhaseReply {
  uint8_t phase = kReset;
  uint32_t address = kUndefinedAddress;
  uint32_t offset = 0;
  bool detach_requested = false;  // byte 9 == 1 with phase 0 and the address undefined
  std::string error_text;         // phase 0xFF: the device's message (printable ASCII)
};
// Needs at least 5 bytes (bytes 5..9 are optional); nullopt for a shorter reply.
std::optional<PhaseReply> parse_phase_reply(std::span<const uint8_t> bytes);
// The ROM/TF-A form: 9 bytes, a 10th (the detach flag) for phase 0 with an undefined address.
std::vector<uint8_t> encode_phase_reply(const PhaseReply& reply);

std::string phase_name(uint8_t phase);  // "FlashLayout", "FSBL", "END", "0x04"

enum class Stage { rom, openbl, tfa, uboot, unknown };
const char* to_string(Stage stage);
struct StageInfo {
  Stage stage = Stage::unknown;
  std::optional<uint32_t> device_id;    // "@Device ID /0x486"
  std::optional<uint32_t> revision_id;  // "@Revision ID /0x1000"
};
// From the product string: "DFU in HS mode @Device ID /0x486, @Revision ID /0x0100" (the N6
// ROM, UM3234 Table 17), "STM32OpenBootloader DFU@Device ID /0x486, @Revision ID /0x1000",
// "DFU @Device ID /0x500, ..., @Name /..." (TF-A), "USB download gadget@Device ID ..." (U-Boot).
StageInfo parse_stage(std::string_view product);

}  // namespace omv::dfu::phases
