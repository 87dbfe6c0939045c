#include "sim/models/alif_se_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <utility>

#include "core/error.h"
#include "protocol/alif_isp/packets.h"
#include "protocol/alif_isp/replies.h"
#include "sim/flash_memory.h"

namespace omv::sim {
namespace {

namespace isp = protocol::alif_isp;
using Bytes = std::vector<uint8_t>;

constexpr uint32_t kDefaultBaud = 55000;
constexpr uint8_t kIllegalAddress = 0xED, kMisaligned = 0xEC, kBadPacketSize = 0xF8, kChecksumError = 0xFA,
                  kUnexpected = 0xF6, kUnknownGet = 0xEE, kUnknownCommand = 0xFC, kNotAllowed = 0xF4;
constexpr uint32_t kBothBanksInvalid = 0x26;

Bytes packet(uint8_t kind, const Bytes& payload = {}) {
  Bytes b{0, kind};
  b.insert(b.end(), payload.begin(), payload.end());
  b[0] = static_cast<uint8_t>(b.size() + 1);
  b.push_back(isp::checksum(b));
  return b;
}

void put32(Bytes& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b[at + static_cast<size_t>(i)] = static_cast<uint8_t>(v >> (8 * i));
}

uint32_t get32(const Bytes& b, size_t at) {
  return static_cast<uint32_t>(b[at]) | (static_cast<uint32_t>(b[at + 1]) << 8) | (static_cast<uint32_t>(b[at + 2]) << 16) |
         (static_cast<uint32_t>(b[at + 3]) << 24);
}

class AlifSeModel : public SerialDeviceModel {
 public:
  AlifSeModel(ModelContext& ctx, FlashMemory& mram) : ctx_(ctx), mram_(mram) {
    id_.id = ctx.board.usb_id("isp").value_or(UsbId{0x0403, 0x6015});
    id_.manufacturer = "FTDI";
    id_.product = "FT230X Basic UART";
    id_.serial = ctx.serial;
    transport::UsbInterfaceInfo itf;
    itf.cls = 0xFF;  // FTDI: vendor-specific
    id_.interfaces.push_back(itf);
    load_state();
  }

  transport::UsbDeviceInfo identity() const override { return id_; }

  std::vector<uint8_t> receive(std::span<const uint8_t> bytes, uint32_t baud) override {
    if (baud != 0 && baud != device_baud_) {
      counters_["bytes_at_wrong_baud"] += bytes.size();
      return {};
    }
    const uint32_t line_baud = device_baud_;  // a SET_BAUD_RATE reply still goes at the old rate
    Bytes out;
    for (uint8_t b : bytes) {
      if (handshake_byte(b, out)) continue;
      if (unresponsive_) {
        counters_["ignored_bytes"]++;
        continue;
      }
      pending_.push_back(b);
      if (pending_.size() >= 2 && pending_[0] >= 3 && pending_.size() == pending_[0]) {
        handle(pending_, out);
        pending_.clear();
      } else if (!pending_.empty() && pending_[0] < 3) {
        counters_["framing_errors"]++;
        pending_.clear();
      }
    }
    // The UART is the bottleneck of the ISP: 10 bits per byte (8N1) each way, one after the other
    // (stop-and-wait).
    const auto line = std::chrono::nanoseconds((bytes.size() + out.size()) * 10ull * 1'000'000'000ull / line_baud);
    line_pending_ += line;
    line_total_ += line;
    return out;
  }

  std::chrono::nanoseconds take_busy_time() override {
    return mram_.take_busy_time() + std::exchange(line_pending_, std::chrono::nanoseconds{0});
  }

  nlohmann::json stats() const override {
    nlohmann::json j = nlohmann::json::object();
    for (const auto& [k, v] : counters_) j[k] = v;
    j["stage"] = recovery_ ? "serom" : "seram";
    j["maintenance"] = maintenance_;
    j["baud"] = device_baud_;
    j["line_ns"] = line_total_.count();
    return j;
  }

 private:
  // "ALIF" from the host (hard maintenance): one byte of "SEPCTL" per ALIF seen.
  bool handshake_byte(uint8_t b, Bytes& out) {
    static const char kAlif[] = "ALIF";
    if (!pending_.empty()) return false;
    if (b == static_cast<uint8_t>(kAlif[alif_at_])) {
      if (++alif_at_ == 4) {
        alif_at_ = 0;
        counters_["alif"]++;
        out.push_back(static_cast<uint8_t>("SEPCTL"[sepctl_at_]));
        sepctl_at_ = (sepctl_at_ + 1) % 6;
        if (sepctl_at_ == 0) {
          maintenance_ = true;  // a hard-maintenance boot: the ATOC is skipped
          unresponsive_ = false;
          counters_["hard_maintenance"]++;
        }
      }
      return true;
    }
    alif_at_ = 0;
    return false;
  }

  void handle(const Bytes& p, Bytes& out) {
    uint32_t sum = 0;
    for (uint8_t b : p) sum += b;
    const uint8_t command = p[1];
    counters_[isp::command_name(command)]++;
    if ((sum & 0xFF) != 0) return nak(out, kChecksumError);
    using isp::Command;
    const auto c = static_cast<Command>(command);
    if (recovery_ && c != Command::start && c != Command::enquiry && c != Command::get && c != Command::mram_write &&
        c != Command::reset && c != Command::stop)
      return nak(out, kNotAllowed);
    switch (c) {
      case Command::start:
      case Command::stop:
      case Command::download_done:
        burn_left_ = 0;
        return ack(out);
      case Command::reset: return reboot();
      case Command::enquiry: return enquiry(out);
      case Command::get: return get(p.size() >= 7 ? get32(p, 2) : 0, out);
      case Command::set_baud_rate: {
        if (p.size() < 7) return nak(out, kBadPacketSize);
        ack(out);
        device_baud_ = get32(p, 2);  // after the reply
        return;
      }
      case Command::set_maintenance_flag:
        maintenance_next_boot_ = true;
        save_state();
        return ack(out);
      case Command::burn_mram: return burn(p, out);
      case Command::download_data: return download(p, out);
      case Command::mram_write: return mram_write(p, out);
      default: return nak(out, kUnknownCommand);
    }
  }

  // RESET: the SE reboots at the ISP rate; the flag set before it makes this a maintenance boot
  // (one boot only). A normal boot runs the ATOC: with HP_BOOT in MRAM, the camera's OpenMV
  // bootloader starts, which this virtual camera shows by becoming it.
  void reboot() {
    counters_["resets"]++;
    device_baud_ = kDefaultBaud;
    burn_left_ = 0;
    maintenance_ = maintenance_next_boot_;
    maintenance_next_boot_ = false;
    save_state();
    if (!maintenance_ && !recovery_ && bootloader_present()) next_mode_ = "bootloader";
  }

 public:
  std::optional<std::string> take_mode_change() override {
    auto m = next_mode_;
    next_mode_.reset();
    return m;
  }

 private:
  void ack(Bytes& out) { append(out, packet(isp::kAck)); }
  void nak(Bytes& out, uint8_t code) {
    counters_["naks"]++;
    append(out, packet(isp::kNak, {code}));
  }
  static void append(Bytes& out, const Bytes& b) { out.insert(out.end(), b.begin(), b.end()); }

  void enquiry(Bytes& out) {
    Bytes e(14, 0);
    e[0] = recovery_ ? 0x01 : 0x02;
    if (recovery_) put32(e, 1, kBothBanksInvalid);
    if (!recovery_) put32(e, 9, maintenance_ ? 1 : 0);
    append(out, packet(isp::kDataResponse, e));
  }

  void get(uint32_t object, Bytes& out) {
    using isp::GetObject;
    switch (static_cast<GetObject>(object)) {
      case GetObject::revision: {
        Bytes r(isp::kRevisionReplyBytes - 3, 0);
        r[1] = 0xB4;
        const std::string part = "AE302F80F55D5AE";
        std::copy(part.begin(), part.end(), r.begin() + 4);
        for (size_t i = 0; i < 8 && i < ctx_.serial.size(); ++i) r[124 + i] = static_cast<uint8_t>(ctx_.serial[i]);
        r[132] = 1;  // DM
        return append(out, packet(isp::kDataResponse, r));
      }
      case GetObject::banner: {
        if (recovery_) return nak(out, kUnknownGet);
        const std::string text = "SES B4 v1.103.0 Dec 12 2024 20:07:29";
        Bytes b(text.begin(), text.end());
        b.push_back(0);
        return append(out, packet(isp::kDataResponse, b));
      }
      case GetObject::toc_info: {
        if (recovery_) return nak(out, kUnknownGet);
        std::vector<std::pair<std::string, uint32_t>> entries{{"SERAM0", 0x01670000}, {"SERAM1", 0x01670000}, {"DEVICE", 0x01000000}};
        if (!maintenance_ && bootloader_present()) entries.push_back({"HP_BOOT", 0x01000000});
        for (const auto& [name, version] : entries) {
          Bytes e(48, 0);
          e[0] = isp::kTocEntryMarker;
          std::copy(name.begin(), name.end(), e.begin() + 1);
          put32(e, 1 + 33, version);
          const std::string flags = name == "HP_BOOT" ? "LVB" : "LV";
          std::copy(flags.begin(), flags.end(), e.begin() + 1 + 40);
          append(out, packet(isp::kDataResponse, e));
        }
        return ack(out);
      }
      default: return nak(out, kUnknownGet);
    }
  }

  bool bootloader_present() {
    auto w = mram_.read(mram_.memory().base, 4);
    return !(std::all_of(w.begin(), w.end(), [](uint8_t b) { return b == 0xFF; }) ||
             std::all_of(w.begin(), w.end(), [](uint8_t b) { return b == 0x00; }));
  }

  void burn(const Bytes& p, Bytes& out) {
    if (p.size() < 11) return nak(out, kBadPacketSize);
    const uint32_t address = get32(p, 2), size = get32(p, 6);
    if (!mram_.contains(address, size) || size == 0) return nak(out, kIllegalAddress);
    if (address % 16 || size % 16) return nak(out, kMisaligned);
    burn_at_ = address;
    burn_left_ = size;
    counters_["burns"]++;
    ack(out);
  }

  void download(const Bytes& p, Bytes& out) {
    if (burn_left_ == 0 || p.size() < 5 || p[2] != 0x55 || p[3] != 0x55) return nak(out, kUnexpected);
    const size_t n = p.size() - 5;
    if (n > burn_left_ || n % 16) return nak(out, kBadPacketSize);
    mram_.program(burn_at_, std::span<const uint8_t>(p).subspan(4, n));
    burn_at_ += static_cast<uint32_t>(n);
    burn_left_ -= static_cast<uint32_t>(n);
    counters_["bytes_burned"] += n;
    ack(out);
  }

  void mram_write(const Bytes& p, Bytes& out) {
    if (p.size() != 3 + 4 + 16) return nak(out, kBadPacketSize);
    const uint64_t address = mram_.memory().base + get32(p, 2);
    if (!mram_.contains(address, 16)) return nak(out, kIllegalAddress);
    mram_.program(address, std::span<const uint8_t>(p).subspan(6, 16));
    counters_["bytes_burned"] += 16;
    append(out, packet(isp::kDataResponse, {0x00}));
  }

  std::filesystem::path state_file() const { return ctx_.state_dir / "secure_enclave.json"; }
  void load_state() {
    std::ifstream in(state_file());
    if (!in) return;
    auto j = nlohmann::json::parse(in, nullptr, false);
    if (!j.is_object()) return;
    maintenance_ = j.value("maintenance", false);
    maintenance_next_boot_ = j.value("maintenance_next_boot", false);
    recovery_ = j.value("stage", std::string("seram")) == "serom";
    unresponsive_ = j.value("unresponsive", false);
  }
  void save_state() const {
    std::ofstream(state_file()) << nlohmann::json{{"maintenance", maintenance_},
                                                  {"maintenance_next_boot", maintenance_next_boot_},
                                                  {"stage", recovery_ ? "serom" : "seram"}}
                                       .dump();
  }

  ModelContext& ctx_;
  FlashMemory& mram_;
  transport::UsbDeviceInfo id_;
  uint32_t device_baud_ = kDefaultBaud;
  std::chrono::nanoseconds line_pending_{0}, line_total_{0};
  Bytes pending_;
  bool maintenance_ = false, maintenance_next_boot_ = false, recovery_ = false;
  bool unresponsive_ = false;  // an application that keeps the SE from serving ISP until hard maintenance
  std::optional<std::string> next_mode_;
  uint32_t burn_at_ = 0, burn_left_ = 0;
  size_t alif_at_ = 0, sepctl_at_ = 0;
  std::map<std::string, uint64_t> counters_;
};

}  // namespace

std::unique_ptr<SerialDeviceModel> make_alif_se_model(ModelContext& ctx) {
  if (!ctx.board.usb_id("isp"))
    fail(ErrorKind::unsupported, ctx.board.target + " has no Secure Enclave ISP port (only the OpenMV AE3 has one)",
         "start it in its bootloader mode");
  auto* mram = ctx.memories.find("mram");
  if (!mram) fail(ErrorKind::bad_board_data, ctx.board.target + ": its board data has no memory named mram");
  return std::make_unique<AlifSeModel>(ctx, *mram);
}

static const RegisterSerialModel alif_se_registration{"openmv_dfu", "isp", make_alif_se_model};

}  // namespace omv::sim
