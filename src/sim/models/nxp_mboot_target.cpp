#include "sim/models/nxp_mboot_target.h"

#include "protocol/nxp/mboot_codes.h"

namespace omv::sim {
namespace mb = protocol::nxp::mboot;
namespace st = protocol::nxp::mboot::status;
namespace {

constexpr uint32_t kFcbTag = 0x42464346;  // "FCFB"
constexpr uint32_t kFcbVersion = 0x56010400;
constexpr uint32_t kFcbOption = 0xF000000F;
constexpr size_t kFcbSize = 512;

void put_le32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  for (size_t i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

uint32_t le32(std::span<const uint8_t> b, size_t at) {
  return static_cast<uint32_t>(b[at]) | static_cast<uint32_t>(b[at + 1]) << 8 | static_cast<uint32_t>(b[at + 2]) << 16 |
         static_cast<uint32_t>(b[at + 3]) << 24;
}

uint8_t tag_of(mb::CommandTag t) { return static_cast<uint8_t>(t); }

}  // namespace

NxpMbootTarget::NxpMbootTarget(FlashMemory& flash, NxpRam& ram, NxpFuseBank& fuses, NxpMbootConfig config)
    : flash_(flash), ram_(ram), fuses_(fuses), config_(config), configured_(config.flexspi_configured) {}

std::vector<uint8_t> NxpMbootTarget::make_fcb(uint64_t flash_size, uint32_t page_size, uint32_t sector_size) {
  std::vector<uint8_t> fcb(kFcbSize, 0);
  put_le32(fcb, 0x000, kFcbTag);
  put_le32(fcb, 0x004, kFcbVersion);
  fcb[0x00C] = 1;  // read sample clock from the DQS pad loopback
  fcb[0x044] = 1;  // serial NOR
  fcb[0x045] = 4;  // quad pads
  fcb[0x046] = 7;  // 133 MHz
  put_le32(fcb, 0x050, static_cast<uint32_t>(flash_size));
  put_le32(fcb, 0x1C0, page_size);
  put_le32(fcb, 0x1C4, sector_size);
  fcb[0x1C9] = 1;  // uniform block size
  put_le32(fcb, 0x1D0, 64 * 1024);
  return fcb;
}

bool NxpMbootTarget::looks_like_fcb(std::span<const uint8_t> bytes) {
  return bytes.size() >= 8 && le32(bytes, 0) == kFcbTag && le32(bytes, 4) == kFcbVersion;
}

void NxpMbootTarget::receive(std::span<const uint8_t> report) {
  auto r = mb::decode_report(report);
  if (!r) {
    ++bad_reports_;
    return;
  }
  if (r->report_id == mb::kReportDataOut) {
    if (receiving_) data_out(r->payload);
    else ++stray_data_reports_;
    return;
  }
  if (r->report_id != mb::kReportCommandOut) {
    ++bad_reports_;
    return;
  }
  auto p = mb::decode_packet(r->payload);
  if (!p) {
    ++bad_reports_;
    return;
  }
  if (receiving_) {  // a new command abandons an unfinished data phase
    receiving_ = false;
    page_.clear();
  }
  command(*p);
}

std::optional<std::vector<uint8_t>> NxpMbootTarget::next_report() {
  if (out_.empty()) return std::nullopt;
  auto r = std::move(out_.front());
  out_.pop_front();
  return r;
}

void NxpMbootTarget::respond(Packet p) { out_.push_back(mb::response_report(p)); }

void NxpMbootTarget::generic(uint32_t status, uint8_t tag) {
  ++by_status_[mb::status_name(status)];
  respond(Packet{static_cast<uint8_t>(mb::ResponseTag::generic), 0, {status, tag}});
}

void NxpMbootTarget::command(const Packet& p) {
  ++commands_;
  ++by_command_[mb::command_name(p.tag)];
  auto need = [&](size_t n) {
    if (p.params.size() >= n) return true;
    generic(st::invalid_argument, p.tag);
    return false;
  };
  switch (static_cast<mb::CommandTag>(p.tag)) {
    case mb::CommandTag::flash_erase_all:
      if (need(1)) generic(erase_all(p.params[0]), p.tag);
      break;
    case mb::CommandTag::flash_erase_region:
      if (need(3)) generic(erase_region(p.params[0], p.params[1], p.params[2]), p.tag);
      break;
    case mb::CommandTag::read_memory:
      if (need(3)) read_memory(p);
      break;
    case mb::CommandTag::write_memory:
      if (need(3)) write_memory(p);
      break;
    case mb::CommandTag::fill_memory:
      if (need(3)) generic(fill_memory(p.params[0], p.params[1], p.params[2]), p.tag);
      break;
    case mb::CommandTag::get_property:
      if (need(1)) get_property(p);
      break;
    case mb::CommandTag::reset:
      generic(st::success, p.tag);
      reset_requested_ = true;
      break;
    case mb::CommandTag::flash_program_once:
      if (need(3)) program_once(p);
      break;
    case mb::CommandTag::flash_read_once:
      if (need(2)) read_once(p);
      break;
    case mb::CommandTag::configure_memory:
      if (need(2)) generic(configure_memory(p.params[0], p.params[1]), p.tag);
      break;
    default:
      generic(st::unknown_command, p.tag);
  }
}

uint32_t NxpMbootTarget::check_access(uint32_t addr, uint32_t len, uint32_t mem, bool* is_flash) const {
  *is_flash = false;
  if (mem != mb::memory_id::internal && mem != mb::memory_id::flexspi_nor) return st::invalid_argument;
  if (flash_.contains(addr, len)) {
    *is_flash = true;
    return configured_ ? st::success : st::memory_not_configured;
  }
  if (mem == mb::memory_id::internal && NxpRam::contains(addr, len)) return st::success;
  return st::memory_range_invalid;
}

uint32_t NxpMbootTarget::erase_region(uint32_t addr, uint32_t len, uint32_t mem) {
  bool is_flash = false;
  uint32_t s = check_access(addr, len, mem, &is_flash);
  if (s != st::success) return s;
  if (!is_flash) return st::memory_range_invalid;  // RAM has nothing to erase
  auto first = flash_.memory().erase_unit_at(addr);
  if (!first || first->start != addr) return st::memory_alignment_error;
  uint64_t end = static_cast<uint64_t>(addr) + len;
  for (uint64_t a = addr; a < end;) a += flash_.erase_unit(a).size;
  return st::success;
}

uint32_t NxpMbootTarget::erase_all(uint32_t mem) {
  if (mem != mb::memory_id::internal && mem != mb::memory_id::flexspi_nor) return st::invalid_argument;
  if (!configured_) return st::memory_not_configured;
  flash_.erase_all();
  return st::success;
}

void NxpMbootTarget::write_memory(const Packet& p) {
  bool is_flash = false;
  uint32_t s = check_access(p.params[0], p.params[1], p.params[2], &is_flash);
  generic(s, p.tag);
  if (s != st::success) return;
  receiving_ = true;
  receiving_flash_ = is_flash;
  write_at_ = p.params[0];
  write_left_ = p.params[1];
  page_base_ = write_at_;
  page_.clear();
  if (write_left_ == 0) {
    receiving_ = false;
    generic(st::success, p.tag);
  }
}

void NxpMbootTarget::flush_pages(bool all) {
  // The flashloader programs the flash a page at a time; buffer to page boundaries.
  const uint32_t page = flash_.memory().program_unit ? flash_.memory().program_unit : 256;
  uint64_t end = static_cast<uint64_t>(page_base_) + page_.size();
  uint64_t upto = all ? end : end / page * page;
  if (upto <= page_base_) return;
  size_t n = static_cast<size_t>(upto - page_base_);
  flash_.program(page_base_, std::span<const uint8_t>(page_).first(n));
  page_.erase(page_.begin(), page_.begin() + static_cast<std::ptrdiff_t>(n));
  page_base_ = static_cast<uint32_t>(upto);
}

void NxpMbootTarget::abort_data_phase(uint32_t status) {
  ++aborts_;
  receiving_ = false;
  page_.clear();
  out_.push_back(mb::encode_report(mb::kReportDataIn, {}));
  generic(status, tag_of(mb::CommandTag::write_memory));
}

void NxpMbootTarget::data_out(std::span<const uint8_t> payload) {
  uint32_t take = static_cast<uint32_t>(std::min<size_t>(payload.size(), write_left_));
  auto chunk = payload.first(take);
  if (fail_next_write) {
    fail_next_write = false;
    abort_data_phase(st::flexspi_nor_program_fail);
    return;
  }
  if (receiving_flash_) {
    page_.insert(page_.end(), chunk.begin(), chunk.end());
    flush_pages(false);
  } else {
    ram_.write(write_at_, chunk);
  }
  write_at_ += take;
  write_left_ -= take;
  if (write_left_ == 0) {
    if (receiving_flash_) flush_pages(true);
    receiving_ = false;
    generic(st::success, tag_of(mb::CommandTag::write_memory));
  }
}

void NxpMbootTarget::read_memory(const Packet& p) {
  bool is_flash = false;
  uint32_t addr = p.params[0], len = p.params[1];
  uint32_t s = check_access(addr, len, p.params[2], &is_flash);
  if (s != st::success) {
    generic(s, p.tag);
    return;
  }
  std::vector<uint8_t> data = is_flash ? flash_.read(addr, len) : ram_.read(addr, len).value_or(std::vector<uint8_t>{});
  respond(Packet{static_cast<uint8_t>(mb::ResponseTag::read_memory), mb::kFlagHasDataPhase, {st::success, len}});
  for (size_t at = 0; at < data.size(); at += config_.max_packet_size) {
    size_t n = std::min<size_t>(config_.max_packet_size, data.size() - at);
    out_.push_back(mb::encode_report(mb::kReportDataIn, std::span<const uint8_t>(data).subspan(at, n)));
  }
  generic(st::success, p.tag);
}

uint32_t NxpMbootTarget::fill_memory(uint32_t addr, uint32_t len, uint32_t pattern) {
  bool is_flash = false;
  uint32_t s = check_access(addr, len, mb::memory_id::internal, &is_flash);
  if (s != st::success) return s;
  std::vector<uint8_t> bytes(len);
  for (size_t i = 0; i < len; ++i) bytes[i] = static_cast<uint8_t>(pattern >> (8 * (i % 4)));
  if (is_flash) flash_.program(addr, bytes);
  else ram_.write(addr, bytes);
  return st::success;
}

uint32_t NxpMbootTarget::configure_memory(uint32_t mem, uint32_t config_address) {
  if (mem != mb::memory_id::flexspi_nor) return st::invalid_argument;
  auto word = ram_.word(config_address);
  if (!word) return st::memory_range_invalid;
  option_word_ = *word;
  if (*word == kFcbOption) {
    if (!configured_) return st::memory_not_configured;
    const auto& m = flash_.memory();
    uint32_t sector = m.erase_layout.empty() ? 4096 : static_cast<uint32_t>(m.erase_layout.front().size);
    flash_.program(m.base, make_fcb(m.size, m.program_unit, sector));
    return st::success;
  }
  if ((*word >> 28) != 0xC) return st::invalid_argument;
  uint32_t device_type = (*word >> 20) & 0xF;
  // The camera's flash is a quad SPI SDR NOR: probing it as anything else finds nothing.
  if (device_type != 0) return st::flexspi_nor_flash_not_found;
  configured_ = true;
  return st::success;
}

void NxpMbootTarget::get_property(const Packet& p) {
  const auto& m = flash_.memory();
  uint32_t mem = p.params.size() > 1 ? p.params[1] : 0;
  std::vector<uint32_t> values;
  uint32_t s = st::success;
  switch (p.params[0]) {
    case mb::property::current_version: values = {config_.version}; break;
    case mb::property::available_peripherals: values = {0x10}; break;  // USB HID
    case mb::property::available_commands: values = {0x0003FFFF}; break;
    case mb::property::max_packet_size: values = {config_.max_packet_size}; break;
    case mb::property::ram_start_address: values = {0x20000000}; break;
    case mb::property::ram_size: values = {0x80000}; break;
    case mb::property::security_state: values = {0}; break;
    case mb::property::external_memory_attributes:
      if (mem != mb::memory_id::flexspi_nor) s = st::invalid_argument;
      else if (!configured_) s = st::memory_not_configured;
      else
        values = {0x1F, static_cast<uint32_t>(m.base), static_cast<uint32_t>(m.size / 1024), m.program_unit, 4096, 65536};
      break;
    default:
      s = st::unknown_property;
  }
  ++by_status_[mb::status_name(s)];
  std::vector<uint32_t> params{s};
  params.insert(params.end(), values.begin(), values.end());
  respond(Packet{static_cast<uint8_t>(mb::ResponseTag::get_property), 0, params});
}

void NxpMbootTarget::program_once(const Packet& p) {
  uint32_t index = p.params[0] & 0x00FFFFFF;
  bool lock = (p.params[0] >> 24) & 1;
  if (p.params[1] != 4) {
    generic(st::invalid_argument, p.tag);
    return;
  }
  switch (fuses_.program(index, p.params[2], lock)) {
    case NxpFuseBank::Result::ok: generic(st::success, p.tag); break;
    case NxpFuseBank::Result::out_of_range: generic(st::out_of_range, p.tag); break;
    case NxpFuseBank::Result::locked: generic(st::ocotp_program_failure, p.tag); break;
  }
}

void NxpMbootTarget::read_once(const Packet& p) {
  auto value = fuses_.read(p.params[0]);
  uint32_t s = !value ? st::out_of_range : p.params[1] != 4 ? st::invalid_argument : st::success;
  ++by_status_[mb::status_name(s)];
  if (s != st::success) respond(Packet{static_cast<uint8_t>(mb::ResponseTag::flash_read_once), 0, {s, 0}});
  else respond(Packet{static_cast<uint8_t>(mb::ResponseTag::flash_read_once), 0, {s, 4, *value}});
}

nlohmann::json NxpMbootTarget::stats() const {
  return {{"commands", commands_},
          {"by_command", by_command_},
          {"by_status", by_status_},
          {"flexspi_configured", configured_},
          {"option_word", option_word_},
          {"aborts", aborts_},
          {"stray_data_reports", stray_data_reports_},
          {"bad_reports", bad_reports_}};
}

}  // namespace omv::sim
