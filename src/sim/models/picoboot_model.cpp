#include "sim/models/picoboot_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "core/error.h"

namespace omv::sim {
namespace {

namespace pb = protocol::picoboot;

constexpr uint8_t kEpOut = 0x03;
constexpr uint8_t kEpIn = 0x84;
constexpr uint8_t kPicobootInterface = 1;
constexpr uint32_t kFlashBase = 0x10000000;
constexpr uint32_t kFlashWindowEnd = 0x11000000;  // the ROM checks the XIP window, not the chip
constexpr uint32_t kRomEnd = 0x4000;
constexpr uint32_t kPage = 256;
constexpr uint32_t kSector = 4096;

uint32_t code(pb::Status s) { return static_cast<uint32_t>(s); }

uint32_t le32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) | (static_cast<uint32_t>(p[2]) << 16) |
         (static_cast<uint32_t>(p[3]) << 24);
}

}  // namespace

std::string rp2040_info_uf2() { return "UF2 Bootloader v3.0\r\nModel: Raspberry Pi RP2\r\nBoard-ID: RPI-RP2\r\n"; }

PicobootModelConfig PicobootModelConfig::from_board(const boards::Board& board, const std::string& serial,
                                                    const std::filesystem::path& state_dir) {
  PicobootModelConfig c;
  c.usb.id = board.usb_id("bootloader").value_or(UsbId{0x2E8A, 0x0003});
  c.usb.bcd_device = 0x0100;
  c.usb.manufacturer = "Raspberry Pi";
  c.usb.product = "RP2 Boot";
  c.usb.serial = serial;
  transport::UsbInterfaceInfo msc;
  msc.number = 0;
  msc.cls = 0x08;  // mass storage, SCSI transparent, bulk-only
  msc.subclass = 0x06;
  msc.protocol = 0x50;
  msc.endpoints = {{0x01, 0x02, 64}, {0x82, 0x02, 64}};
  transport::UsbInterfaceInfo vendor;
  vendor.number = kPicobootInterface;
  vendor.cls = 0xFF;
  vendor.endpoints = {{kEpOut, 0x02, 64}, {kEpIn, 0x02, 64}};
  c.usb.interfaces = {msc, vendor};
  if (auto f = board.loader_number("uf2_family")) c.family = static_cast<uint32_t>(*f);
  c.drive = state_dir / "drive";
  return c;
}

PicobootModel::PicobootModel(PicobootModelConfig config, FlashMemory& flash, FaultPlan* faults)
    : config_(std::move(config)), flash_(flash), faults_(faults), ram_(kRamSize, 0) {
  create_drive();
}

PicobootModel::~PicobootModel() = default;

void PicobootModel::create_drive() {
  if (config_.drive.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(config_.drive, ec);
  std::ofstream(config_.drive / "INFO_UF2.TXT", std::ios::trunc) << rp2040_info_uf2();
  std::ofstream(config_.drive / "INDEX.HTM", std::ios::trunc)
      << "<html><head><meta http-equiv=\"refresh\" content=\"0;URL='https://raspberrypi.com/device/RP2?version=E0C9125B0D9B'\"/></head><body>Redirecting to <a href='https://raspberrypi.com/device/RP2?version=E0C9125B0D9B'>raspberrypi.com</a></body></html>\r\n";
}

void PicobootModel::remove_drive() {
  if (config_.drive.empty()) return;
  std::error_code ec;
  std::filesystem::remove_all(config_.drive, ec);
}

std::optional<transport::UsbDeviceInfo> PicobootModel::identity() const {
  if (rebooting_) return std::nullopt;
  return config_.usb;
}

bool PicobootModel::is_flash(uint32_t a) const { return a >= kFlashBase && a <= kFlashWindowEnd; }
bool PicobootModel::is_ram(uint32_t a) const { return a >= kRamBase && a <= kRamBase + kRamSize; }

void PicobootModel::finish(uint32_t c) {
  status_.code = c;
  status_.in_progress = false;
}

void PicobootModel::stall(uint32_t c) {
  status_.code = c;
  status_.in_progress = false;
  failures_[pb::status_name(c)]++;
  halted_in_ = halted_out_ = true;
  phase_ = Phase::idle;
  reboot_after_ack_ = false;
}

Reply PicobootModel::control(const SetupPacket& setup, std::span<const uint8_t>) {
  poll_drive();
  if (setup.request_type == pb::kStatusRequestType && setup.request == pb::kStatusRequest &&
      setup.index == kPicobootInterface) {
    auto bytes = pb::encode_status(status_);
    return Reply::ok({bytes.begin(), bytes.end()});
  }
  if (setup.request_type == pb::kResetRequestType && setup.request == pb::kResetRequest &&
      setup.index == kPicobootInterface) {
    halted_in_ = halted_out_ = false;
    phase_ = Phase::idle;
    reboot_after_ack_ = false;
    status_ = {};
    commands_["INTERFACE_RESET"]++;
    return Reply::ok();
  }
  if (setup.request_type == 0x02 && setup.request == 0x01 && setup.value == 0) {  // CLEAR_FEATURE(HALT)
    if (setup.index == kEpIn) halted_in_ = false;
    else if (setup.index == kEpOut) halted_out_ = false;
    else return Reply::stalled();
    return Reply::ok();
  }
  if (setup.request_type == 0x82 && setup.request == 0x00) {  // GET_STATUS(endpoint)
    const bool halted = setup.index == kEpIn ? halted_in_ : setup.index == kEpOut ? halted_out_ : false;
    return Reply::ok({static_cast<uint8_t>(halted ? 1 : 0), 0});
  }
  if (setup.request_type == 0xA1 && setup.request == 0xFE && setup.index == 0) return Reply::ok({0});  // MSC max LUN
  return Reply::stalled();
}

Reply PicobootModel::bulk_out(uint8_t endpoint, std::span<const uint8_t> data) {
  poll_drive();
  if (endpoint != kEpOut || halted_out_ || rebooting_) return Reply::stalled();
  switch (phase_) {
    case Phase::idle: {
      if (data.empty()) return Reply::ok();
      auto cmd = pb::decode(data);
      if (!cmd) {
        stall(code(data.size() == pb::kCommandSize ? pb::Status::unknown_cmd : pb::Status::invalid_cmd_length));
        return Reply::ok();
      }
      start(*cmd);
      return Reply::ok();
    }
    case Phase::data_out: {
      const size_t want = command_.transfer_length - data_.size();
      data_.insert(data_.end(), data.begin(), data.begin() + static_cast<std::ptrdiff_t>(std::min(want, data.size())));
      if (data_.size() >= command_.transfer_length) {
        const uint32_t c = execute(command_, data_, nullptr);
        if (c != code(pb::Status::ok)) {
          stall(c);
        } else {
          phase_ = Phase::ack_in;
        }
      }
      return Reply::ok();
    }
    case Phase::ack_out:
      if (!data.empty()) {
        stall(code(pb::Status::invalid_state));
        return Reply::stalled();
      }
      finish(code(pb::Status::ok));
      phase_ = Phase::idle;
      return Reply::ok();
    default:
      stall(code(pb::Status::invalid_state));
      return Reply::stalled();
  }
}

Reply PicobootModel::bulk_in(uint8_t endpoint, size_t max_length) {
  poll_drive();
  if (endpoint != kEpIn || halted_in_ || rebooting_) return Reply::stalled();
  switch (phase_) {
    case Phase::data_in: {
      const size_t n = std::min(max_length, data_.size() - data_sent_);
      std::vector<uint8_t> out(data_.begin() + static_cast<std::ptrdiff_t>(data_sent_),
                               data_.begin() + static_cast<std::ptrdiff_t>(data_sent_ + n));
      data_sent_ += n;
      if (data_sent_ >= data_.size()) phase_ = Phase::ack_out;
      return Reply::ok(std::move(out));
    }
    case Phase::ack_in:
      finish(code(pb::Status::ok));
      phase_ = Phase::idle;
      if (reboot_after_ack_) {
        reboot_after_ack_ = false;
        rebooting_ = true;
        remove_drive();
      }
      return Reply::ok();
    default:
      // Nothing to send: the real ROM NAKs until the host gives up; a stall tells it sooner.
      return Reply::stalled();
  }
}

void PicobootModel::start(const pb::Command& cmd) {
  command_ = cmd;
  data_.clear();
  data_sent_ = 0;
  status_ = {cmd.token, code(pb::Status::ok), cmd.id, true};
  commands_[pb::command_name(cmd.id)]++;
  if (faults_ && faults_->fire("stall")) return stall(code(pb::Status::unknown_error));
  const auto rule = pb::rp2040_rule(cmd.id);
  const bool direction_ok = rule && (((cmd.id & 0x7F) == 0x04) == cmd.is_in());
  if (!rule || !direction_ok) return stall(code(pb::Status::unknown_cmd));
  if (cmd.args_size != rule->args_size) return stall(code(pb::Status::invalid_cmd_length));
  const uint32_t expected = rule->transfer_is_size ? cmd.arg32(1) : 0;
  if (cmd.transfer_length != expected) return stall(code(pb::Status::invalid_transfer_length));

  if (static_cast<pb::CommandId>(cmd.id) == pb::CommandId::write && cmd.transfer_length > 0) {
    phase_ = Phase::data_out;
    return;
  }
  if (cmd.is_in()) {
    const uint32_t c = execute(cmd, {}, &data_);
    if (c != code(pb::Status::ok)) return stall(c);
    phase_ = data_.empty() ? Phase::ack_out : Phase::data_in;
    return;
  }
  const uint32_t c = execute(cmd, {}, nullptr);
  if (c != code(pb::Status::ok)) return stall(c);
  phase_ = Phase::ack_in;
}

uint32_t PicobootModel::execute(const pb::Command& cmd, std::span<const uint8_t> data, std::vector<uint8_t>* in) {
  switch (static_cast<pb::CommandId>(cmd.id)) {
    case pb::CommandId::exclusive_access:
      exclusive_ = cmd.args[0];
      return code(pb::Status::ok);
    case pb::CommandId::exit_xip:
      xip_exited_ = true;
      return code(pb::Status::ok);
    case pb::CommandId::enter_cmd_xip:
      xip_exited_ = false;
      return code(pb::Status::ok);
    case pb::CommandId::reboot:
      reboot_after_ack_ = true;
      return code(pb::Status::ok);
    case pb::CommandId::exec:
    case pb::CommandId::vectorize_flash: {
      const uint32_t a = cmd.arg32(0);
      if (static_cast<pb::CommandId>(cmd.id) == pb::CommandId::vectorize_flash && (a & 1)) return code(pb::Status::bad_alignment);
      // Code is not run here; a call into RAM returns at once.
      return is_ram(a) ? code(pb::Status::ok) : code(pb::Status::invalid_address);
    }
    case pb::CommandId::flash_erase: {
      const uint32_t a = cmd.arg32(0), n = cmd.arg32(1);
      if (a % kSector || n % kSector) return code(pb::Status::bad_alignment);
      if (!is_flash(a) || !is_flash(a + n)) return code(pb::Status::invalid_address);
      if (!xip_exited_) {
        ignored_without_xip_ += n;
        return code(pb::Status::ok);
      }
      for (uint64_t at = a; at < static_cast<uint64_t>(a) + n; at += kSector)
        if (flash_.contains(at, kSector)) flash_.erase_unit(at);
      return code(pb::Status::ok);
    }
    case pb::CommandId::write:
    case pb::CommandId::read: {
      const bool write = static_cast<pb::CommandId>(cmd.id) == pb::CommandId::write;
      const uint32_t a = cmd.arg32(0), n = cmd.arg32(1);
      const uint64_t end = static_cast<uint64_t>(a) + n;
      const bool ram = is_ram(a) && end <= kRamBase + kRamSize;
      const bool rom = !write && end <= kRomEnd;
      const bool flash = is_flash(a) && end <= kFlashWindowEnd;
      if (!ram && !rom && !flash) return code(pb::Status::invalid_address);
      if (flash && !ram && (a % kPage)) return code(pb::Status::bad_alignment);
      if (write) {
        if (faults_ && faults_->fire("err_write")) return code(pb::Status::unknown_error);
        bytes_written_ += n;
        if (ram) {
          std::memcpy(ram_at(a), data.data(), n);
        } else if (!xip_exited_) {
          ignored_without_xip_ += n;
        } else {
          for (uint32_t off = 0; off < n; off += kPage) {
            std::vector<uint8_t> page(kPage, 0xFF);
            const uint32_t len = std::min(kPage, n - off);
            std::memcpy(page.data(), data.data() + off, len);
            if (flash_.contains(a + off, kPage)) flash_.program(a + off, page);
          }
        }
      } else {
        bytes_read_ += n;
        if (ram) in->assign(ram_at(a), ram_at(a) + n);
        else if (rom) in->assign(n, 0);  // the ROM's contents are not modelled
        else if (flash_.contains(a, n)) *in = flash_.read(a, n);
        else in->assign(n, 0xFF);
      }
      return code(pb::Status::ok);
    }
  }
  return code(pb::Status::unknown_cmd);
}

void PicobootModel::bus_reset() {
  phase_ = Phase::idle;
  halted_in_ = halted_out_ = false;
}

std::optional<std::string> PicobootModel::take_mode_change() {
  poll_drive();
  if (!rebooting_ || mode_change_reported_) return std::nullopt;
  mode_change_reported_ = true;
  return std::string("app");
}

std::optional<std::chrono::steady_clock::time_point> PicobootModel::next_tick() const {
  if (config_.drive.empty() || rebooting_) return std::nullopt;
  return std::chrono::steady_clock::now() + std::chrono::milliseconds(100);
}

void PicobootModel::poll_drive() {
  if (config_.drive.empty() || rebooting_) return;
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(config_.drive, ec)) {
    const auto name = e.path().filename().string();
    if (name == "INFO_UF2.TXT" || name == "INDEX.HTM" || name.starts_with('.')) continue;
    if (e.is_regular_file()) files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    if (rebooting_) break;
    take_uf2(f);
  }
}

void PicobootModel::take_uf2(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::error_code ec;
  std::filesystem::remove(file, ec);  // the drive's directory shows only its two files
  ++uf2_files_;
  if (exclusive_ != 0) {
    ++drive_refused_;
    return;
  }
  for (size_t off = 0; off + 512 <= bytes.size(); off += 512) {
    const uint8_t* b = bytes.data() + off;
    const uint32_t flags = le32(b + 8), target = le32(b + 12), payload = le32(b + 16);
    const uint32_t block_no = le32(b + 20), num_blocks = le32(b + 24), family = le32(b + 28);
    const bool ok = le32(b) == 0x0A324655 && le32(b + 4) == 0x9E5D5157 && le32(b + 508) == 0x0AB16F30 &&
                    (flags & 0x2000) && !(flags & 0x1) && family == config_.family && payload == kPage &&
                    target % kPage == 0 && block_no < num_blocks && num_blocks > 0 && is_flash(target) &&
                    static_cast<uint64_t>(target) + kPage <= kFlashWindowEnd;
    if (!ok) {
      ++uf2_blocks_ignored_;
      continue;
    }
    if (num_blocks != uf2_num_blocks_) {  // a new transfer
      uf2_num_blocks_ = num_blocks;
      uf2_blocks_done_.clear();
      uf2_sectors_erased_.clear();
    }
    const uint64_t sector = target & ~static_cast<uint64_t>(kSector - 1);
    if (flash_.contains(target, kPage)) {
      if (uf2_sectors_erased_.insert(sector).second) flash_.erase_unit(sector);
      flash_.program(target, std::span<const uint8_t>(b + 32, kPage));
    }
    ++uf2_blocks_written_;
    uf2_blocks_done_.insert(block_no);
    if (uf2_blocks_done_.size() == uf2_num_blocks_) {
      // Every block of the image arrived: the ROM reboots into it.
      rebooting_ = true;
      remove_drive();
      return;
    }
  }
}

nlohmann::json PicobootModel::stats() const {
  return {{"commands", commands_},
          {"failures", failures_},
          {"exclusive", exclusive_},
          {"xip_exited", xip_exited_},
          {"bytes_written", bytes_written_},
          {"bytes_read", bytes_read_},
          {"ignored_without_exit_xip", ignored_without_xip_},
          {"uf2_files", uf2_files_},
          {"uf2_blocks_written", uf2_blocks_written_},
          {"uf2_blocks_ignored", uf2_blocks_ignored_},
          {"drive_refused", drive_refused_},
          {"last_status", pb::status_name(status_.code)}};
}

static const RegisterUsbModel picoboot_model_registration{"picoboot", "bootloader", [](ModelContext& ctx) -> std::unique_ptr<UsbDeviceModel> {
  const auto* firmware = ctx.board.partition_by_role("firmware");
  auto* flash = firmware ? ctx.memories.find(firmware->memory) : nullptr;
  if (!flash) fail(ErrorKind::bad_board_data, ctx.board.target + ": no flash memory for the RP2040 model");
  return std::make_unique<PicobootModel>(PicobootModelConfig::from_board(ctx.board, ctx.serial, ctx.state_dir), *flash,
                                         &ctx.faults);
}};

}  // namespace omv::sim
