#pragma once
// Numbers of the NXP MCU bootloader protocol (the flashloader / secure bootloader that blhost
// talks to): command and response tags, property tags, memory ids and status codes by name.
#include <cstdint>
#include <string>

namespace omv::protocol::nxp::mboot {

enum class CommandTag : uint8_t {
  flash_erase_all = 0x01,
  flash_erase_region = 0x02,
  read_memory = 0x03,
  write_memory = 0x04,
  fill_memory = 0x05,
  flash_security_disable = 0x06,
  get_property = 0x07,
  receive_sb_file = 0x08,
  execute = 0x09,
  call = 0x0A,
  reset = 0x0B,
  set_property = 0x0C,
  flash_erase_all_unsecure = 0x0D,
  flash_program_once = 0x0E,  // efuse-program-once on i.MX RT
  flash_read_once = 0x0F,     // efuse-read-once on i.MX RT
  flash_read_resource = 0x10,
  configure_memory = 0x11,
};

enum class ResponseTag : uint8_t {
  generic = 0xA0,
  read_memory = 0xA3,
  get_property = 0xA7,
  flash_read_once = 0xAF,
  flash_read_resource = 0xB0,
};

// Bit 0 of a packet's flags: a data phase follows the command (host->device) or the
// response (device->host).
inline constexpr uint8_t kFlagHasDataPhase = 0x01;

namespace property {
inline constexpr uint32_t current_version = 0x01;
inline constexpr uint32_t available_peripherals = 0x02;
inline constexpr uint32_t flash_start_address = 0x03;
inline constexpr uint32_t flash_size = 0x04;
inline constexpr uint32_t flash_sector_size = 0x05;
inline constexpr uint32_t available_commands = 0x07;
inline constexpr uint32_t last_error = 0x09;
inline constexpr uint32_t max_packet_size = 0x0B;
inline constexpr uint32_t ram_start_address = 0x0E;
inline constexpr uint32_t ram_size = 0x0F;
inline constexpr uint32_t security_state = 0x11;
inline constexpr uint32_t external_memory_attributes = 0x19;
}  // namespace property

namespace memory_id {
inline constexpr uint32_t internal = 0;  // also "by address" for memory-mapped external flash
inline constexpr uint32_t flexspi_nor = 9;
}  // namespace memory_id

namespace status {
inline constexpr uint32_t success = 0;
inline constexpr uint32_t fail = 1;
inline constexpr uint32_t read_only = 2;
inline constexpr uint32_t out_of_range = 3;
inline constexpr uint32_t invalid_argument = 4;
inline constexpr uint32_t timeout = 5;
inline constexpr uint32_t flash_alignment_error = 101;
inline constexpr uint32_t flash_address_error = 102;
inline constexpr uint32_t unknown_command = 10000;
inline constexpr uint32_t security_violation = 10001;
inline constexpr uint32_t abort_data_phase = 10002;
inline constexpr uint32_t no_response = 10004;
inline constexpr uint32_t unsupported_command = 10006;
inline constexpr uint32_t memory_range_invalid = 10200;
inline constexpr uint32_t memory_read_failed = 10201;
inline constexpr uint32_t memory_write_failed = 10202;
inline constexpr uint32_t memory_not_configured = 10205;
inline constexpr uint32_t memory_alignment_error = 10206;
inline constexpr uint32_t memory_verify_failed = 10207;
inline constexpr uint32_t unknown_property = 10300;
inline constexpr uint32_t read_only_property = 10301;
inline constexpr uint32_t flexspi_nor_program_fail = 20100;
inline constexpr uint32_t flexspi_nor_erase_sector_fail = 20101;
inline constexpr uint32_t flexspi_nor_flash_not_found = 20109;
inline constexpr uint32_t ocotp_read_failure = 20200;
inline constexpr uint32_t ocotp_program_failure = 20201;
inline constexpr uint32_t otp_locked = 52806;
}  // namespace status

// "MemoryNotConfigured"; "status 12345" for codes omv does not know.
std::string status_name(uint32_t code);
// "status MemoryNotConfigured (10205)"
std::string describe_status(uint32_t code);
// "write-memory", "flash-erase-region"... (blhost's spelling); "command 0x42" otherwise.
std::string command_name(uint8_t tag);
std::string property_name(uint32_t tag);

}  // namespace omv::protocol::nxp::mboot
