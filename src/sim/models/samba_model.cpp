#include "sim/models/samba_model.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <fstream>

#include "core/error.h"
#include "protocol/samba/crc16.h"
#include "sim/models/serial_pty_host.h"

namespace omv::sim {
namespace {

constexpr uint32_t kCpuidAddress = 0xE000ED00;
constexpr uint32_t kCpuid = 0x410FC241;  // Cortex-M4 r0p1, as on the nRF52840
constexpr uint32_t kAircr = 0xE000ED0C;
constexpr uint32_t kAircrReset = 0x05FA0004;
// SAM device-id register (DSU DID) and the SAMD51J20A id answered there: see the header.
constexpr uint32_t kSamDidAddress = 0x41002018;
constexpr uint32_t kSamDidAnswer = 0x60060004;
constexpr uint32_t kMaxReadReply = 1u << 20;

void put(std::vector<uint8_t>& out, const std::string& text) { out.insert(out.end(), text.begin(), text.end()); }

bool is_hex(uint8_t c, uint32_t& value) {
  if (c >= '0' && c <= '9') value = c - '0';
  else if (c >= 'A' && c <= 'F') value = c - 'A' + 10u;
  else if (c >= 'a' && c <= 'f') value = c - 'a' + 10u;
  else return false;
  return true;
}

uint32_t loader_u32(const boards::Board& board, const std::string& key, uint32_t fallback) {
  auto v = board.loader_number(key);
  return v ? static_cast<uint32_t>(*v) : fallback;
}

std::string loader_text(const boards::Board& board, const std::string& key, const std::string& fallback) {
  auto it = board.loader.find(key);
  return it == board.loader.end() ? fallback : it->second;
}

}  // namespace

const boards::Memory& samba_flash_memory(const boards::Board& board) {
  const auto* firmware = board.partition_by_role("firmware");
  const auto* memory = firmware ? board.memory(firmware->memory) : nullptr;
  if (!memory && !board.memories.empty()) memory = &board.memories.front();
  if (!memory) fail(ErrorKind::bad_board_data, board.target + ": no memory for the SAM-BA bootloader to write");
  return *memory;
}

SambaModelConfig SambaModelConfig::from_board(const boards::Board& board, const std::string& serial) {
  SambaModelConfig c;
  c.address_base = loader_u32(board, "samba_address_base", c.address_base);
  c.version = loader_text(board, "samba_version", c.version);
  c.chip = loader_text(board, "samba_chip", c.chip);
  c.sram_base = loader_u32(board, "samba_sram_base", c.sram_base);
  c.sram_size = loader_u32(board, "samba_sram_size", c.sram_size);
  const auto& memory = samba_flash_memory(board);
  for (const auto& p : board.partitions)
    if (p.read_only && p.memory == memory.name) c.protected_ranges.push_back({p.start, p.end, p.name});
  c.usb.id = board.usb_id("bootloader").value_or(UsbId{0x2341, 0x805A});
  c.usb.manufacturer = "Arduino";
  c.usb.product = board.name;
  c.usb.serial = serial;
  transport::UsbInterfaceInfo cdc;
  cdc.number = 0;
  cdc.cls = 0x02;  // CDC communications
  cdc.subclass = 0x02;
  cdc.protocol = 0x00;
  c.usb.interfaces.push_back(cdc);
  transport::UsbInterfaceInfo data;
  data.number = 1;
  data.cls = 0x0A;  // CDC data
  c.usb.interfaces.push_back(data);
  return c;
}

void seed_samba_flash_of_camera(const boards::Board& board, const std::filesystem::path& state_dir) {
  seed_samba_flash(board, state_dir / (samba_flash_memory(board).name + ".bin"));
}

void seed_samba_flash(const boards::Board& board, const std::filesystem::path& file) {
  if (std::filesystem::exists(file)) return;
  const auto& memory = samba_flash_memory(board);
  std::vector<uint8_t> image(static_cast<size_t>(memory.size), 0xFF);
  for (const auto& p : board.partitions) {
    if (!p.read_only || p.memory != memory.name) continue;
    for (uint64_t a = p.start; a + 32 <= p.end; a += 32) {
      auto line = fmt::format("{}@{:08X}", p.name, a);
      line.resize(31, ' ');
      line.push_back('\n');
      std::memcpy(image.data() + (a - memory.base), line.data(), 32);
    }
  }
  std::filesystem::create_directories(file.parent_path());
  std::ofstream out(file, std::ios::binary);
  out.write(reinterpret_cast<const char*>(image.data()), static_cast<std::streamsize>(image.size()));
  if (!out) fail(ErrorKind::io, "cannot write " + file.string());
}

SambaModel::SambaModel(SambaModelConfig config, FlashMemory& flash)
    : config_(std::move(config)), flash_(flash), buffer_(config_.buffer_size, 0), sram_(config_.sram_size, 0) {}

std::vector<uint8_t> SambaModel::receive(std::span<const uint8_t> bytes, uint32_t /*baud*/) {
  std::vector<uint8_t> out;
  for (size_t i = 0; i < bytes.size(); ++i) {
    if (reset_) {
      ignored_bytes_ += bytes.size() - i;
      break;
    }
    if (data_left_ > 0) {
      const size_t n = std::min<size_t>(data_left_, bytes.size() - i);
      for (size_t k = 0; k < n; ++k) {
        if (uint8_t* p = ram(data_at_, 1)) *p = bytes[i + k];
        else ++data_discarded_;
        ++data_at_;
      }
      bytes_loaded_ += n;
      data_left_ -= static_cast<uint32_t>(n);
      i += n - 1;
      continue;
    }
    const uint8_t c = bytes[i];
    uint32_t digit = 0;
    if (is_hex(c, digit)) {
      number_ = (number_ << 4) | digit;
    } else if (c == ',') {
      address_ = number_;
      number_ = 0;
    } else if (c == '#') {
      execute(out);
      letter_ = 0;
      number_ = 0;
      address_ = 0;
    } else {
      letter_ = c;
      number_ = 0;
    }
  }
  return out;
}

void SambaModel::refuse(std::vector<uint8_t>& out, const std::string& why) {
  ++refused_;
  last_refusal_ = why;
  put(out, "E\n\r");
}

uint8_t* SambaModel::ram(uint32_t address, uint32_t size) {
  if (address < buffer_.size() && size <= buffer_.size() - address) return buffer_.data() + address;
  if (address >= config_.sram_base && address - config_.sram_base < sram_.size() &&
      size <= sram_.size() - (address - config_.sram_base))
    return sram_.data() + (address - config_.sram_base);
  return nullptr;
}

std::optional<uint64_t> SambaModel::flash_address(uint32_t address, uint32_t size) const {
  const uint64_t fa = static_cast<uint64_t>(address) + config_.address_base;
  if (!flash_.contains(fa, size)) return std::nullopt;
  return fa;
}

const SambaModelConfig::Range* SambaModel::protected_overlap(uint64_t start, uint64_t end) const {
  for (const auto& r : config_.protected_ranges)
    if (start < r.end && r.start < end) return &r;
  return nullptr;
}

uint64_t SambaModel::erase_limit(uint64_t from) const {
  uint64_t limit = flash_.memory().end();
  for (const auto& r : config_.protected_ranges)
    if (r.start >= from) limit = std::min(limit, r.start);
  return limit;
}

std::vector<uint8_t> SambaModel::read_memory(uint32_t address, uint32_t size) {
  size = std::min(size, kMaxReadReply);
  if (auto fa = flash_address(address, size)) return flash_.read(*fa, size);
  if (const uint8_t* p = ram(address, size)) return std::vector<uint8_t>(p, p + size);
  // Anything else reads as zero, except the identification words (see the header).
  std::vector<uint8_t> out(size, 0);
  auto overlay = [&](uint32_t at, uint32_t word) {
    for (uint32_t k = 0; k < 4; ++k) {
      const uint64_t a = static_cast<uint64_t>(at) + k;
      if (a >= address && a < static_cast<uint64_t>(address) + size) out[a - address] = static_cast<uint8_t>(word >> (8 * k));
    }
  };
  overlay(kCpuidAddress, kCpuid);
  overlay(kSamDidAddress, kSamDidAnswer);
  return out;
}

void SambaModel::erase_from(uint32_t address, std::vector<uint8_t>& out) {
  const auto fa = flash_address(address, 1);
  if (!fa) return refuse(out, fmt::format("X {:#x}: past the end of the flash", address));
  if (!flash_.is_unit_start(*fa)) return refuse(out, fmt::format("X {:#x}: not on a flash page boundary", address));
  if (const auto* r = protected_overlap(*fa, *fa + 1))
    return refuse(out, fmt::format("X {:#x}: flash {:#x} is in {}", address, *fa, r->name));
  const uint64_t end = erase_limit(*fa);
  for (uint64_t a = *fa; a < end;) a += flash_.erase_unit(a).size;
  put(out, "X\n\r");
}

void SambaModel::copy_to_flash(uint32_t address, uint32_t size, std::vector<uint8_t>& out) {
  const uint8_t* src = ram(copy_source_, size);
  if (!src) return refuse(out, fmt::format("Y {:#x},{:#x}: source {:#x} is not in RAM", address, size, copy_source_));
  const auto fa = flash_address(address, size);
  if (!fa) return refuse(out, fmt::format("Y {:#x},{:#x}: past the end of the flash", address, size));
  if (*fa % 4 != 0 || size % 4 != 0)
    return refuse(out, fmt::format("Y {:#x},{:#x}: flash is written in aligned 32-bit words", address, size));
  if (const auto* r = protected_overlap(*fa, *fa + size))
    return refuse(out, fmt::format("Y {:#x},{:#x}: flash {:#x} is in {}", address, size, *fa, r->name));
  flash_.program(*fa, std::span<const uint8_t>(src, size));
  bytes_copied_ += size;
  put(out, "Y\n\r");
}

void SambaModel::execute(std::vector<uint8_t>& out) {
  if (letter_ == 0) {
    ++ignored_bytes_;
    return;
  }
  commands_[std::string(1, static_cast<char>(letter_))]++;
  switch (letter_) {
    case 'N':
    case 'T':  // terminal mode is not modelled: bossac never asks for it
      put(out, "\n\r");
      break;
    case 'V': put(out, config_.version + "\n\r"); break;
    case 'I': put(out, config_.chip + "\n\r"); break;
    case 'K': reset_ = true; break;
    case 'S':
      data_left_ = number_;
      data_at_ = address_;
      break;
    case 'R': {
      auto data = read_memory(address_, number_);
      bytes_sent_ += data.size();
      out.insert(out.end(), data.begin(), data.end());
      break;
    }
    case 'w':
    case 'h':
    case 'o': {
      const uint32_t n = letter_ == 'w' ? 4 : letter_ == 'h' ? 2 : 1;
      auto data = read_memory(address_, n);
      bytes_sent_ += n;
      out.insert(out.end(), data.begin(), data.end());
      break;
    }
    case 'W':
    case 'H':
    case 'O': {
      if (letter_ == 'W' && address_ == kAircr && number_ == kAircrReset) {
        reset_ = true;
        break;
      }
      const uint32_t n = letter_ == 'W' ? 4 : letter_ == 'H' ? 2 : 1;
      if (uint8_t* p = ram(address_, n))
        for (uint32_t k = 0; k < n; ++k) p[k] = static_cast<uint8_t>(number_ >> (8 * k));
      break;
    }
    case 'G': break;  // no applets run here: the copy is done by the bootloader itself (Y)
    case 'X': erase_from(number_, out); break;
    case 'Y':
      if (number_ == 0) {
        copy_source_ = address_;
        put(out, "Y\n\r");
      } else {
        copy_to_flash(address_, number_, out);
      }
      break;
    case 'Z': {
      const auto data = read_memory(address_, number_);
      put(out, fmt::format("Z{:08X}#\n\r", protocol::samba::crc16_xmodem(data)));
      break;
    }
    default: break;  // unknown letters are ignored, as the SAM-BA monitors do
  }
}

std::optional<std::string> SambaModel::take_mode_change() {
  if (!reset_ || mode_change_reported_) return std::nullopt;
  mode_change_reported_ = true;
  return std::string("app");
}

nlohmann::json SambaModel::stats() const {
  return {{"commands", commands_},       {"refused", refused_},         {"last_refusal", last_refusal_},
          {"bytes_loaded", bytes_loaded_}, {"bytes_copied", bytes_copied_}, {"bytes_sent", bytes_sent_},
          {"data_discarded", data_discarded_}, {"ignored_bytes", ignored_bytes_}, {"reset", reset_}};
}

static const bool prepared = (register_serial_prepare("samba", seed_samba_flash_of_camera), true);

static const RegisterSerialModel samba_model_registration{"samba", "bootloader", [](ModelContext& ctx) -> std::unique_ptr<SerialDeviceModel> {
  auto* flash = ctx.memories.find(samba_flash_memory(ctx.board).name);
  if (!flash) fail(ErrorKind::bad_board_data, ctx.board.target + ": the SAM-BA flash memory is missing");
  return std::make_unique<SambaModel>(SambaModelConfig::from_board(ctx.board, ctx.serial), *flash);
}};

}  // namespace omv::sim
