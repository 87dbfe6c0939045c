#include "sim/models/nxp_rom_model.h"

#include <thread>

namespace omv::sim {
namespace sdp = protocol::nxp::sdp;
namespace {

// What this model answers when WRITE_FILE targets memory the ROM cannot load into. The real
// ROM's word for that case is not documented in our references; any word other than the
// completion word is a failure to the host.
constexpr uint32_t kRefusedAddress = 0x33333333;

constexpr uint8_t kIvtTag = 0xD1;

uint32_t le32(const std::vector<uint8_t>& b, size_t at) {
  return static_cast<uint32_t>(b[at]) | static_cast<uint32_t>(b[at + 1]) << 8 | static_cast<uint32_t>(b[at + 2]) << 16 |
         static_cast<uint32_t>(b[at + 3]) << 24;
}

}  // namespace

NxpRomModel::NxpRomModel(ModelContext& ctx) : ctx_(ctx) {}

std::optional<transport::HidDeviceInfo> NxpRomModel::identity() const {
  if (hung_) return std::nullopt;
  transport::HidDeviceInfo info;
  info.id = ctx_.board.usb_id("rom").value_or(UsbId{0x1FC9, 0x0135});
  info.manufacturer = "NXP SemiConductors Inc";
  info.product = "i.MX RT1062 serial downloader (virtual)";
  info.serial = ctx_.serial;
  return info;
}

void NxpRomModel::write(std::span<const uint8_t> report) {
  if (hung_ || report.empty()) return;
  if (report[0] == sdp::kReportData) {
    if (receiving_) file_data(report.subspan(1));
    else ++counters_["stray_data_reports"];
    return;
  }
  if (report[0] != sdp::kReportCommand) {
    ++counters_["unknown_reports"];
    return;
  }
  auto c = sdp::decode_command(report.subspan(1));
  if (!c) {
    ++counters_["bad_commands"];
    return;  // the ROM ignores what it cannot parse; the host times out
  }
  command(*c);
}

void NxpRomModel::command(const sdp::Command& c) {
  ++counters_[sdp::command_name(c.type)];
  receiving_ = false;
  switch (c.type) {
    case sdp::CommandType::write_file:
    case sdp::CommandType::write_dcd:
    case sdp::CommandType::write_csf:
      receiving_ = true;
      file_address_ = c.address;
      file_left_ = c.count;
      file_at_ = c.address;
      file_ok_ = NxpRam::contains(c.address, c.count);
      if (c.count == 0) file_data({});
      break;
    case sdp::CommandType::jump_address:
      jump(c.address);
      break;
    case sdp::CommandType::error_status:
      out_.push_back(sdp::hab_report(sdp::kHabOpen));
      out_.push_back(sdp::status_word_report(last_error_));
      break;
    case sdp::CommandType::read_register: {
      out_.push_back(sdp::hab_report(sdp::kHabOpen));
      auto data = ram_.read(c.address, c.count).value_or(std::vector<uint8_t>(c.count, 0));
      for (size_t at = 0; at < data.size(); at += sdp::kStatusReportPayload)
        out_.push_back(sdp::status_report(std::span<const uint8_t>(data).subspan(at, std::min(sdp::kStatusReportPayload, data.size() - at))));
      break;
    }
    case sdp::CommandType::write_register: {
      std::vector<uint8_t> v(c.format / 8u);
      for (size_t i = 0; i < v.size(); ++i) v[i] = static_cast<uint8_t>(c.data >> (8 * i));
      ram_.write(c.address, v);  // registers outside RAM are accepted and forgotten
      out_.push_back(sdp::hab_report(sdp::kHabOpen));
      out_.push_back(sdp::status_word_report(sdp::kWriteComplete));
      break;
    }
    case sdp::CommandType::skip_dcd_header:
      out_.push_back(sdp::hab_report(sdp::kHabOpen));
      out_.push_back(sdp::status_report(std::vector<uint8_t>{0x09, 0xD0, 0x0D, 0x90}));
      break;
  }
}

void NxpRomModel::file_data(std::span<const uint8_t> payload) {
  // The ROM counts the announced bytes down and ignores the padding of the last report.
  uint32_t take = static_cast<uint32_t>(std::min<size_t>(payload.size(), file_left_));
  if (file_ok_ && take) ram_.write(file_at_, payload.first(take));
  file_at_ += take;
  file_left_ -= take;
  bytes_received_ += take;
  if (file_left_ != 0) return;
  receiving_ = false;
  if (file_ok_) {
    auto [it, inserted] = loaded_.emplace(file_address_, file_at_ - file_address_);
    if (!inserted) it->second = std::max(it->second, file_at_ - file_address_);
    answer(sdp::kFileComplete);
  } else {
    last_error_ = kRefusedAddress;
    answer(kRefusedAddress);
  }
}

void NxpRomModel::answer(uint32_t status_word) {
  out_.push_back(sdp::hab_report(sdp::kHabOpen));
  out_.push_back(sdp::status_word_report(status_word));
}

std::optional<uint32_t> NxpRomModel::ivt_entry(uint32_t address) {
  auto ivt = ram_.read(address, 32);
  if (!ivt) return std::nullopt;
  const auto& b = *ivt;
  bool header = b[0] == kIvtTag && b[1] == 0x00 && b[2] == 0x20 && (b[3] & 0xF0) == 0x40;
  if (!header || le32(b, 20) != address) return std::nullopt;  // "self" must point at the IVT
  return le32(b, 4);
}

void NxpRomModel::jump(uint32_t address) {
  out_.push_back(sdp::hab_report(sdp::kHabOpen));
  auto entry = ivt_entry(address);
  if (!entry) {
    last_error_ = sdp::kNotAnIvt;
    out_.push_back(sdp::status_word_report(sdp::kNotAnIvt));
    return;
  }
  bool inside = false;
  for (auto [start, length] : loaded_)
    if (*entry >= start && *entry - start < length) inside = true;
  after_ = inside ? After::jump_to_flashloader : After::hang;
  ++counters_[inside ? "jumps" : "jumps_into_nothing"];
}

std::optional<std::vector<uint8_t>> NxpRomModel::read(transport::Millis timeout) {
  if (!out_.empty()) {
    auto r = std::move(out_.front());
    out_.pop_front();
    // The HAB report of a good JUMP_ADDRESS is the ROM's last word: the image runs now.
    if (out_.empty() && after_ == After::hang) hung_ = true;
    return r;
  }
  if (timeout.count() > 0) std::this_thread::sleep_for(ctx_.scaled(timeout));
  return std::nullopt;
}

std::optional<std::string> NxpRomModel::take_mode_change() {
  if (after_ != After::jump_to_flashloader || !out_.empty() || mode_change_taken_) return std::nullopt;
  mode_change_taken_ = true;
  return std::string("flashloader");
}

nlohmann::json NxpRomModel::stats() const {
  nlohmann::json j = counters_;
  j["bytes_received"] = bytes_received_;
  j["hung"] = hung_;
  j["last_error"] = last_error_;
  return j;
}

namespace {
const RegisterHidModel nxp_rom_model_registration{"nxp_sdp_blhost", "rom",
                                  [](ModelContext& ctx) { return std::make_unique<NxpRomModel>(ctx); }};
}  // namespace

}  // namespace omv::sim
