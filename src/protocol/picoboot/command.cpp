#include "protocol/picoboot/command.h"

#include <fmt/format.h>

namespace omv::protocol::picoboot {
namespace {

void put32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

uint32_t get32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) | (static_cast<uint32_t>(p[2]) << 16) |
         (static_cast<uint32_t>(p[3]) << 24);
}

Command make(uint32_t token, CommandId id, uint8_t args_size, uint32_t transfer_length) {
  Command c;
  c.token = token;
  c.id = static_cast<uint8_t>(id);
  c.args_size = args_size;
  c.transfer_length = transfer_length;
  return c;
}

Command range(uint32_t token, CommandId id, uint32_t address, uint32_t size, uint32_t transfer_length) {
  Command c = make(token, id, 8, transfer_length);
  put32(c.args.data(), address);
  put32(c.args.data() + 4, size);
  return c;
}

}  // namespace

const char* command_name(uint8_t id) {
  switch (id) {
    case 0x01: return "EXCLUSIVE_ACCESS";
    case 0x02: return "REBOOT";
    case 0x03: return "FLASH_ERASE";
    case 0x84: return "READ";
    case 0x05: return "WRITE";
    case 0x06: return "EXIT_XIP";
    case 0x07: return "ENTER_CMD_XIP";
    case 0x08: return "EXEC";
    case 0x09: return "VECTORIZE_FLASH";
    case 0x0A: return "REBOOT2";
    case 0x8B: return "GET_INFO";
    case 0x8C: return "OTP_READ";
    case 0x0D: return "OTP_WRITE";
    default: return "unknown command";
  }
}

uint32_t Command::arg32(size_t index) const { return index < 4 ? get32(args.data() + 4 * index) : 0; }

std::array<uint8_t, kCommandSize> encode(const Command& c) {
  std::array<uint8_t, kCommandSize> out{};
  put32(out.data(), kMagic);
  put32(out.data() + 4, c.token);
  out[8] = c.id;
  out[9] = c.args_size;
  put32(out.data() + 12, c.transfer_length);
  std::copy(c.args.begin(), c.args.end(), out.begin() + 16);
  return out;
}

std::optional<Command> decode(std::span<const uint8_t> p) {
  if (p.size() != kCommandSize || get32(p.data()) != kMagic) return std::nullopt;
  Command c;
  c.token = get32(p.data() + 4);
  c.id = p[8];
  c.args_size = p[9];
  c.transfer_length = get32(p.data() + 12);
  std::copy(p.begin() + 16, p.end(), c.args.begin());
  return c;
}

Command exclusive_access(uint32_t token, Exclusive mode) {
  Command c = make(token, CommandId::exclusive_access, 1, 0);
  c.args[0] = static_cast<uint8_t>(mode);
  return c;
}

Command reboot(uint32_t token, uint32_t pc, uint32_t sp, uint32_t delay_ms) {
  Command c = make(token, CommandId::reboot, 12, 0);
  put32(c.args.data(), pc);
  put32(c.args.data() + 4, sp);
  put32(c.args.data() + 8, delay_ms);
  return c;
}

Command flash_erase(uint32_t token, uint32_t address, uint32_t size) {
  return range(token, CommandId::flash_erase, address, size, 0);
}
Command read(uint32_t token, uint32_t address, uint32_t size) { return range(token, CommandId::read, address, size, size); }
Command write(uint32_t token, uint32_t address, uint32_t size) {
  return range(token, CommandId::write, address, size, size);
}
Command exit_xip(uint32_t token) { return make(token, CommandId::exit_xip, 0, 0); }
Command enter_cmd_xip(uint32_t token) { return make(token, CommandId::enter_cmd_xip, 0, 0); }
Command exec(uint32_t token, uint32_t address) {
  Command c = make(token, CommandId::exec, 4, 0);
  put32(c.args.data(), address);
  return c;
}

std::string status_name(uint32_t code) {
  static const char* const names[] = {"OK",
                                      "UNKNOWN_CMD",
                                      "INVALID_CMD_LENGTH",
                                      "INVALID_TRANSFER_LENGTH",
                                      "INVALID_ADDRESS",
                                      "BAD_ALIGNMENT",
                                      "INTERLEAVED_WRITE",
                                      "REBOOTING",
                                      "UNKNOWN_ERROR",
                                      "INVALID_STATE",
                                      "NOT_PERMITTED",
                                      "INVALID_ARG",
                                      "BUFFER_TOO_SMALL",
                                      "PRECONDITION_NOT_MET",
                                      "MODIFIED_DATA",
                                      "INVALID_DATA",
                                      "NOT_FOUND",
                                      "UNSUPPORTED_MODIFICATION"};
  if (code < std::size(names)) return names[code];
  return fmt::format("status {}", code);
}

const char* status_hint(uint32_t code) {
  switch (static_cast<Status>(code)) {
    case Status::invalid_address: return "the address is outside the RP2040's flash (0x10000000-0x11000000) and RAM";
    case Status::bad_alignment: return "flash erases need 4 KiB-aligned ranges, flash writes and reads 256-byte-aligned addresses";
    case Status::interleaved_write:
      return "something wrote to the RPI-RP2 drive at the same time; unmount the drive or let omv take exclusive access";
    case Status::rebooting: return "the device is rebooting; wait for it to come back and try again";
    case Status::unknown_cmd: return "the boot ROM does not know this command (an RP2350-only command on an RP2040?)";
    default: return "";
  }
}

std::array<uint8_t, kStatusSize> encode_status(const CommandStatus& s) {
  std::array<uint8_t, kStatusSize> out{};
  put32(out.data(), s.token);
  put32(out.data() + 4, s.code);
  out[8] = s.command_id;
  out[9] = s.in_progress ? 1 : 0;
  return out;
}

std::optional<CommandStatus> decode_status(std::span<const uint8_t> b) {
  if (b.size() != kStatusSize) return std::nullopt;
  CommandStatus s;
  s.token = get32(b.data());
  s.code = get32(b.data() + 4);
  s.command_id = b[8];
  s.in_progress = b[9] != 0;
  return s;
}

std::optional<CommandRule> rp2040_rule(uint8_t id) {
  switch (id & 0x7F) {
    case 0x01: return CommandRule{1, false};
    case 0x02: return CommandRule{12, false};
    case 0x03: return CommandRule{8, false};
    case 0x04: return CommandRule{8, true};
    case 0x05: return CommandRule{8, true};
    case 0x06: return CommandRule{0, false};
    case 0x07: return CommandRule{0, false};
    case 0x08: return CommandRule{4, false};
    case 0x09: return CommandRule{4, false};
    default: return std::nullopt;
  }
}

}  // namespace omv::protocol::picoboot
