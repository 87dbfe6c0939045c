#pragma once
// SAM-BA monitor commands as text frames, in the exact spelling bossac uses (upper-case hex,
// eight digits, '#' terminator), and the parsers for what the monitor sends back. Pure
// functions: no I/O, so the device model and the fuzzer use them too.
#include <cstdint>
#include <optional>
#include <span>
#include <string>

namespace omv::protocol::samba {

// Every text reply of the monitor in binary mode ends with this.
inline constexpr char kEol[] = "\n\r";

namespace cmd {
std::string set_binary();                                 // N#
std::string version();                                    // V#
std::string identify();                                   // I#   (nRF52840 bootloader)
std::string reset();                                      // K#   (nRF52840 bootloader)
std::string write(uint32_t address, uint32_t size);       // S%08X,%08X#  + `size` raw bytes
std::string read(uint32_t address, uint32_t size);        // R%08X,%08X#  -> `size` raw bytes
std::string write_word(uint32_t address, uint32_t value); // W%08X,%08X#
std::string read_word(uint32_t address);                  // w%08X,4#     -> 4 bytes LE
std::string go(uint32_t address);                         // G%08X#
std::string erase_from(uint32_t address);                 // X%08X#       -> "X\n\r"
std::string buffer_source(uint32_t address);              // Y%08X,0#     -> "Y\n\r"
std::string buffer_copy(uint32_t flash_address, uint32_t size);  // Y%08X,%08X# -> "Y\n\r"
std::string checksum(uint32_t address, uint32_t size);    // Z%08X,%08X#  -> "Z%08X#\n\r"
}  // namespace cmd

// What the `V#` answer says: the text, and the extension letters inside "[Arduino:...]".
struct Version {
  std::string text;          // without the trailing "\n\r"
  bool arduino = false;      // an "[Arduino:...]" tag is present
  bool chip_erase = false;   // X
  bool write_buffer = false; // Y
  bool checksum = false;     // Z
  bool identify = false;     // I
  bool reset = false;        // K
};

// A complete line: printable text followed by "\n\r". nullopt for anything else (binary junk,
// a missing terminator, control characters, longer than `max_length`).
std::optional<std::string> parse_line(std::span<const uint8_t> reply, size_t max_length = 256);
std::optional<Version> parse_version(std::span<const uint8_t> reply);
// "Z%08X#\n\r" -> the CRC (the low 16 bits; a value that does not fit is rejected).
std::optional<uint16_t> parse_checksum(std::span<const uint8_t> reply);
// "<letter>\n\r" (the X and Y acknowledgements).
bool is_ack(std::span<const uint8_t> reply, char letter);

// Bytes as a short hex string for error messages ("58 0a 0d").
std::string hex_preview(std::span<const uint8_t> bytes, size_t max = 16);

}  // namespace omv::protocol::samba
