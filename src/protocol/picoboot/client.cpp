#include "protocol/picoboot/client.h"

#include <fmt/format.h>

#include <algorithm>

#include "core/numbers.h"

namespace omv::protocol::picoboot {
namespace {

using transport::Millis;

constexpr uint8_t kBulk = 0x02;

}  // namespace

std::optional<InterfaceInfo> find_interface(const transport::UsbDeviceInfo& device) {
  for (const auto& itf : device.interfaces) {
    if (itf.alt != 0 || itf.cls != 0xFF || itf.subclass != 0 || itf.protocol != 0) continue;
    InterfaceInfo info;
    info.number = itf.number;
    for (const auto& ep : itf.endpoints) {
      if ((ep.attributes & 0x03) != kBulk) continue;
      if (ep.address & 0x80) {
        if (!info.ep_in) info.ep_in = ep.address;
      } else if (!info.ep_out) {
        info.ep_out = ep.address;
      }
    }
    if (info.ep_in && info.ep_out) return info;
  }
  return std::nullopt;
}

Client::Client(transport::UsbDevice& device, InterfaceInfo interface, ClientOptions options)
    : device_(device), interface_(interface), options_(options) {
  if (options_.data_chunk == 0) options_.data_chunk = 4096;
}

std::string Client::describe(const Command& c) const {
  const auto id = static_cast<CommandId>(c.id);
  switch (id) {
    case CommandId::flash_erase:
    case CommandId::read:
    case CommandId::write:
      return fmt::format("{} {}+{:#x}", command_name(c.id), hex32(c.arg32(0)), c.arg32(1));
    default:
      return command_name(c.id);
  }
}

void Client::clear_halt(uint8_t endpoint) {
  try {
    // CLEAR_FEATURE(ENDPOINT_HALT) to the endpoint.
    device_.control_out(0x02, 0x01, 0, endpoint, {}, options_.command_timeout);
  } catch (const Error&) {
  }
}

CommandStatus Client::status() {
  std::array<uint8_t, kStatusSize> buf{};
  const size_t n = device_.control_in(kStatusRequestType, kStatusRequest, 0, interface_.number, buf,
                                      options_.command_timeout);
  auto s = decode_status(std::span<const uint8_t>(buf.data(), n));
  if (!s)
    fail(ErrorKind::device_error, fmt::format("PICOBOOT status: the device sent {} bytes instead of 16", n),
         "this is not an RP2040 in BOOTSEL mode");
  return *s;
}

void Client::interface_reset() {
  device_.control_out(kResetRequestType, kResetRequest, 0, interface_.number, {}, options_.command_timeout);
}

void Client::fail_with_status(const Command& command, const std::string& what, bool timed_out) {
  std::optional<CommandStatus> st;
  try {
    st = status();
  } catch (const Error&) {
  }
  clear_halt(interface_.ep_out);
  clear_halt(interface_.ep_in);
  try {
    interface_reset();
  } catch (const Error&) {
  }
  const std::string cmd = describe(command);
  if (st && st->code != static_cast<uint32_t>(Status::ok)) {
    throw StatusError(st->code,
                      fmt::format("PICOBOOT {} failed: the device says {} ({})", cmd, status_name(st->code), st->code),
                      status_hint(st->code));
  }
  if (timed_out)
    fail(ErrorKind::timeout, fmt::format("PICOBOOT {}: no answer ({})", cmd, what),
         "the RP2040 may be busy or gone; unplug it and enter BOOTSEL again");
  fail(ErrorKind::device_error, fmt::format("PICOBOOT {}: the device refused it ({}), status OK", cmd, what),
       "another program (picotool, a file manager writing to RPI-RP2) may be using the device");
}

void Client::run(const Command& command, std::span<const uint8_t> out_data, std::vector<uint8_t>* in_data,
                 Millis ack_timeout) {
  const auto packet = encode(command);
  std::string stage = "command";
  try {
    device_.bulk_out(interface_.ep_out, packet, options_.command_timeout);
    if (command.transfer_length > 0) {
      stage = "data phase";
      if (command.is_in()) {
        in_data->resize(command.transfer_length);
        size_t got = 0;
        while (got < command.transfer_length) {
          const size_t want = std::min<size_t>(options_.data_chunk, command.transfer_length - got);
          const size_t n = device_.bulk_in(interface_.ep_in, std::span<uint8_t>(in_data->data() + got, want),
                                           options_.command_timeout);
          if (n == 0) fail(ErrorKind::device_error, fmt::format("PICOBOOT {}: short read", describe(command)));
          got += n;
        }
      } else {
        for (size_t done = 0; done < out_data.size();) {
          const size_t n = std::min(options_.data_chunk, out_data.size() - done);
          device_.bulk_out(interface_.ep_out, out_data.subspan(done, n), options_.command_timeout);
          done += n;
        }
      }
    }
    stage = "acknowledgement";
    if (command.is_in()) {
      device_.bulk_out(interface_.ep_out, {}, ack_timeout);
    } else {
      uint8_t ack[1];
      const size_t n = device_.bulk_in(interface_.ep_in, ack, ack_timeout);
      if (n != 0)
        fail(ErrorKind::device_error,
             fmt::format("PICOBOOT {}: the acknowledgement carried {} bytes", describe(command), n));
    }
  } catch (const transport::UsbStall&) {
    fail_with_status(command, "stall in the " + stage, false);
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::timeout) fail_with_status(command, "timeout in the " + stage, true);
    throw;
  }
}

void Client::exclusive_access(Exclusive mode) {
  run(picoboot::exclusive_access(++token_, mode), {}, nullptr, options_.command_timeout);
}

void Client::exit_xip() { run(picoboot::exit_xip(++token_), {}, nullptr, options_.command_timeout); }

void Client::flash_erase(uint32_t address, uint32_t size, Millis timeout) {
  run(picoboot::flash_erase(++token_, address, size), {}, nullptr, std::max(timeout, options_.command_timeout));
}

void Client::write(uint32_t address, std::span<const uint8_t> data, Millis timeout) {
  run(picoboot::write(++token_, address, static_cast<uint32_t>(data.size())), data, nullptr,
      std::max(timeout, options_.command_timeout));
}

std::vector<uint8_t> Client::read(uint32_t address, uint32_t size) {
  std::vector<uint8_t> out;
  run(picoboot::read(++token_, address, size), {}, &out, options_.command_timeout);
  return out;
}

void Client::reboot(uint32_t pc, uint32_t sp, uint32_t delay_ms) {
  run(picoboot::reboot(++token_, pc, sp, delay_ms), {}, nullptr, options_.command_timeout);
}

}  // namespace omv::protocol::picoboot
