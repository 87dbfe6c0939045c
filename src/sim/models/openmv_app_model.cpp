#include "sim/models/openmv_app_model.h"

#include <algorithm>
#include <cstdio>

namespace omv::sim {

namespace pomv = protocol::openmv;

namespace {

constexpr uint32_t kLegacyFastBaud = 12000000;
constexpr uint32_t kMaxLegacyAnswer = 64 * 1024;

pomv::Version version_from(const nlohmann::json& j, pomv::Version fallback) {
  if (!j.is_string()) return fallback;
  unsigned a = 0, b = 0, c = 0;
  if (std::sscanf(j.get<std::string>().c_str(), "%u.%u.%u", &a, &b, &c) != 3 || a > 255 || b > 255 || c > 255)
    return fallback;
  return {static_cast<uint8_t>(a), static_cast<uint8_t>(b), static_cast<uint8_t>(c)};
}

void put_u32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

}  // namespace

AppFirmware AppFirmware::from_json(const nlohmann::json& j) {
  AppFirmware f;
  if (!j.is_object()) return f;
  f.legacy = j.value("protocol", std::string("openmv")) == "legacy";
  if (f.legacy) f.versions.firmware = {4, 8, 1};
  f.versions.firmware = version_from(j.value("firmware_version", nlohmann::json()), f.versions.firmware);
  f.versions.bootloader = version_from(j.value("bootloader_version", nlohmann::json()), f.versions.bootloader);
  f.versions.protocol = version_from(j.value("protocol_version", nlohmann::json()), f.versions.protocol);
  f.arch = j.value("arch", f.arch);
  f.touch_1200 = j.value("touch_1200", f.touch_1200);
  f.behaviour = j.value("behaviour", f.behaviour);
  return f;
}

nlohmann::json AppFirmware::to_json() const {
  return {{"protocol", legacy ? "legacy" : "openmv"},
          {"firmware_version", versions.firmware.str()},
          {"bootloader_version", versions.bootloader.str()},
          {"protocol_version", versions.protocol.str()},
          {"arch", arch},
          {"touch_1200", touch_1200},
          {"behaviour", behaviour}};
}

OpenmvAppModel::OpenmvAppModel(AppFirmware firmware) : firmware_(std::move(firmware)) {}

std::vector<uint8_t> OpenmvAppModel::receive(std::span<const uint8_t> bytes, uint32_t baud) {
  if (bytes.empty()) return {};
  counters_["bytes_in"] += bytes.size();
  if (exit_ != AppExit::none) {
    counters_["bytes_after_reset"] += bytes.size();
    return {};
  }
  if (firmware_.behaviour == "silent") return {};
  if (firmware_.behaviour == "garbage") return {0x15, 0x15, 'E', 'R', 'R', '\r', '\n'};
  const bool debug_baud = baud == pomv::kMagicBaud || (firmware_.legacy && baud == kLegacyFastBaud);
  if (!debug_baud) {
    // The MicroPython REPL: raw mode echoes what it gets.
    counters_["repl_bytes"] += bytes.size();
    return {bytes.begin(), bytes.end()};
  }
  return firmware_.legacy ? receive_legacy(bytes) : receive_protocol(bytes, baud);
}

void OpenmvAppModel::line_changed(uint32_t baud, bool open) {
  if (open) {
    count("port_opens");
    return;
  }
  count("port_closes");
  if (firmware_.touch_1200 && baud == 1200 && exit_ == AppExit::none) {
    count("touch_1200");
    leave(AppExit::bootloader_forced);
    baud_at_exit_ = baud;
  }
}

void OpenmvAppModel::send(std::vector<uint8_t>& out, uint8_t opcode, std::vector<uint8_t> payload, uint8_t flags) {
  pomv::Packet p;
  p.seq = seq_;
  p.opcode = opcode;
  p.flags = flags;
  if (!(flags & (pomv::flags::ack | pomv::flags::nak | pomv::flags::event))) p.flags |= pomv::flags::ack_req;
  p.payload = std::move(payload);
  const auto bytes = pomv::encode(p);
  out.insert(out.end(), bytes.begin(), bytes.end());
  ++seq_;
  if (p.flags & pomv::flags::ack_req) awaiting_ack_ = true;
  count("packets_out");
}

void OpenmvAppModel::send_status(std::vector<uint8_t>& out, uint8_t opcode, pomv::Status status) {
  if (status == pomv::Status::success) {
    send(out, opcode, {}, pomv::flags::ack);
    return;
  }
  count(std::string("nak_") + (status == pomv::Status::checksum   ? "checksum"
                               : status == pomv::Status::sequence ? "sequence"
                                                                  : "invalid"));
  const auto code = static_cast<uint16_t>(status);
  send(out, opcode, {static_cast<uint8_t>(code & 0xFF), static_cast<uint8_t>(code >> 8)}, pomv::flags::nak);
}

std::vector<uint8_t> OpenmvAppModel::receive_protocol(std::span<const uint8_t> bytes, uint32_t baud) {
  std::vector<uint8_t> out;
  reader_.feed(bytes);
  while (exit_ == AppExit::none) {
    auto item = reader_.next();
    if (!item) break;
    const pomv::Packet& p = item->packet;
    if (p.flags & (pomv::flags::ack | pomv::flags::nak)) {
      if (awaiting_ack_) count(p.is_ack() ? "acks_in" : "naks_in");
      awaiting_ack_ = false;
      continue;
    }
    if (!item->payload_ok) {
      send_status(out, p.opcode, pomv::Status::checksum);
      continue;
    }
    if (awaiting_ack_) {
      count("answers_not_acked");
      awaiting_ack_ = false;
    }
    const bool system_opcode = p.opcode <= static_cast<uint8_t>(pomv::Opcode::sys_event);
    if (system_opcode && p.channel != 0) {
      send_status(out, p.opcode, pomv::Status::invalid);
      continue;
    }
    if (p.opcode != static_cast<uint8_t>(pomv::Opcode::proto_sync) && p.seq != seq_) {
      send_status(out, p.opcode, pomv::Status::sequence);
      continue;
    }
    handle(p, baud, out);
  }
  counters_["noise_bytes"] = reader_.skipped();
  return out;
}

void OpenmvAppModel::handle(const pomv::Packet& p, uint32_t baud, std::vector<uint8_t>& out) {
  switch (static_cast<pomv::Opcode>(p.opcode)) {
    case pomv::Opcode::proto_sync:
      count("syncs");
      seq_ = 0;
      awaiting_ack_ = false;
      send_status(out, p.opcode, pomv::Status::success);
      seq_ = 0;
      return;
    case pomv::Opcode::proto_get_caps: {
      count("get_caps");
      std::vector<uint8_t> caps;
      put_u32(caps, 0x0F);  // crc, seq, ack, events
      caps.push_back(static_cast<uint8_t>(pomv::kMaxPayload & 0xFF));
      caps.push_back(static_cast<uint8_t>(pomv::kMaxPayload >> 8));
      caps.resize(16, 0);
      send(out, p.opcode, std::move(caps), 0);
      return;
    }
    case pomv::Opcode::proto_set_caps:
      count("set_caps");
      send_status(out, p.opcode, p.payload.size() == 16 ? pomv::Status::success : pomv::Status::invalid);
      return;
    case pomv::Opcode::proto_version:
      count("version_queries");
      send(out, p.opcode, pomv::encode_version_payload(firmware_.versions), 0);
      return;
    case pomv::Opcode::sys_info: {
      count("sys_info_queries");
      std::vector<uint8_t> info(80, 0);
      send(out, p.opcode, std::move(info), 0);
      return;
    }
    case pomv::Opcode::sys_boot:
      count("sys_boot");
      leave(AppExit::bootloader_forced);
      baud_at_exit_ = baud;
      return;
    case pomv::Opcode::sys_reset:
      count("sys_reset");
      leave(AppExit::reset);
      baud_at_exit_ = baud;
      return;
    default:
      send_status(out, p.opcode, pomv::Status::invalid);
      return;
  }
}

std::vector<uint8_t> OpenmvAppModel::receive_legacy(std::span<const uint8_t> bytes) {
  namespace legacy = pomv::legacy;
  std::vector<uint8_t> out;
  legacy_buffer_.insert(legacy_buffer_.end(), bytes.begin(), bytes.end());
  size_t pos = 0;
  while (exit_ == AppExit::none && pos < legacy_buffer_.size()) {
    if (legacy_payload_left_ > 0) {
      const size_t take = std::min<size_t>(legacy_payload_left_, legacy_buffer_.size() - pos);
      legacy_payload_left_ -= static_cast<uint32_t>(take);
      pos += take;
      continue;
    }
    if (legacy_buffer_[pos] != legacy::kCommandByte) {
      ++pos;
      count("noise_bytes");
      continue;
    }
    if (legacy_buffer_.size() - pos < legacy::kHeaderSize) break;
    const auto header = legacy::decode_header(std::span<const uint8_t>(legacy_buffer_).subspan(pos));
    pos += legacy::kHeaderSize;
    count("usbdbg_commands");
    if (legacy::expects_answer(header->opcode)) {
      std::vector<uint8_t> answer;
      switch (static_cast<legacy::Command>(header->opcode)) {
        case legacy::Command::fw_version: {
          count("version_queries");
          const auto& v = firmware_.versions.firmware;
          const auto a = legacy::encode_fw_version({v.major, v.minor, v.patch});
          answer.assign(a.begin(), a.end());
          break;
        }
        case legacy::Command::arch_str:
          answer.assign(firmware_.arch.begin(), firmware_.arch.end());
          break;
        case legacy::Command::script_running:
          count("script_running_queries");
          break;
        default:
          break;
      }
      answer.resize(std::min(header->length, kMaxLegacyAnswer), 0);
      out.insert(out.end(), answer.begin(), answer.end());
      continue;
    }
    switch (static_cast<legacy::Command>(header->opcode)) {
      case legacy::Command::sys_reset_to_bootloader:
        count("usbdbg_reset_to_bootloader");
        leave(AppExit::bootloader_forced);
        baud_at_exit_ = pomv::kMagicBaud;
        break;
      case legacy::Command::sys_reset:
        count("usbdbg_reset");
        leave(AppExit::reset);
        baud_at_exit_ = pomv::kMagicBaud;
        break;
      default:
        legacy_payload_left_ = header->length;
        break;
    }
  }
  legacy_buffer_.erase(legacy_buffer_.begin(), legacy_buffer_.begin() + static_cast<std::ptrdiff_t>(pos));
  return out;
}

nlohmann::json OpenmvAppModel::stats() const {
  nlohmann::json j = counters_;
  j["protocol"] = firmware_.legacy ? "legacy" : "openmv";
  j["exit"] = exit_ == AppExit::none             ? "none"
              : exit_ == AppExit::reset          ? "reset"
              : exit_ == AppExit::firmware_again ? "firmware_again"
                                                 : "bootloader_forced";
  j["baud_at_exit"] = baud_at_exit_;
  return j;
}

}  // namespace omv::sim
