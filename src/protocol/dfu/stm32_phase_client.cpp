#include "protocol/dfu/stm32_phase_client.h"

#include <fmt/format.h>

#include "core/error.h"

namespace omv::dfu::phases {

PhaseClient::PhaseClient(transport::UsbDevice& device, Clock& clock, PhaseClientOptions options)
    : device_(device), options_(options) {
  const auto& info = device.info();
  std::optional<FunctionalDescriptor> descriptor;
  for (const auto& itf : info.interfaces) {
    if (itf.cls != kDfuClass || itf.subclass != kDfuSubclass) continue;
    if (!descriptor) descriptor = find_functional_descriptor(itf.extra);
    if (auto parsed = parse_alt_name(itf.name)) alts_.push_back({itf.alt, *parsed, itf.name});
  }
  const std::string who = format_usb_id(info.id) + (info.serial.empty() ? "" : " " + info.serial);
  if (!descriptor)
    fail(ErrorKind::device_error, fmt::format("{} ({}) has no DFU functional descriptor", who, info.product));
  if (!alt_for(kVirtual))
    fail(ErrorKind::device_error,
         fmt::format("{} ({}) has no alt setting named with phase 0xF1 (virtual): it does not speak ST's phase protocol",
                     who, info.product),
         "if it is an STM32 in its system bootloader, it speaks DfuSe: omv recover works for the H7/F7 cameras that way");
  device.claim_interface(0);
  dfu_ = std::make_unique<DfuInterface>(device, 0, *descriptor, clock);
}

const PhaseAlt* PhaseClient::alt_for(uint8_t phase) const {
  for (const auto& a : alts_)
    if (a.name.phase == phase) return &a;
  return nullptr;
}

void PhaseClient::select(uint8_t alt) {
  if (selected_ == alt) return;
  device_.set_alt_setting(0, alt);
  selected_ = alt;
}

PhaseReply PhaseClient::get_phase() {
  select(alt_for(kVirtual)->alt);
  dfu_->ensure_idle(options_.block_budget);
  std::vector<uint8_t> buffer(kGetPhaseLength);
  const size_t n = dfu_->upload(0, buffer, options_.block_budget, "GetPhase (UPLOAD on the virtual alt)");
  auto reply = parse_phase_reply(std::span<const uint8_t>(buffer.data(), n));
  if (!reply)
    fail(ErrorKind::device_error, fmt::format("{} answered GetPhase with {} bytes (at least 5 expected)", label(), n),
         "run it again with --with-cubeprogrammer, or reset the camera with the boot switch set");
  // A full-length frame leaves the device in dfuUPLOAD-IDLE (ST's OpenBootloader): end it there.
  dfu_->ensure_idle(options_.block_budget);
  return *reply;
}

void PhaseClient::download(uint8_t phase, std::span<const uint8_t> data, const std::function<void(uint64_t)>& progress) {
  const auto* alt = alt_for(phase);
  if (!alt) fail(ErrorKind::device_error, fmt::format("{} has no alt setting for phase 0x{:02X}", label(), phase));
  select(alt->alt);
  dfu_->ensure_idle(options_.block_budget);
  const size_t block_size = transfer_size() ? transfer_size() : 1024;
  uint16_t block = options_.first_block;
  for (size_t at = 0; at < data.size(); at += block_size, ++block) {
    const size_t n = std::min(block_size, data.size() - at);
    dfu_->download_and_wait(block, data.subspan(at, n), options_.block_budget,
                            fmt::format("phase 0x{:02X} ({}) block {} at byte {}", phase, alt->name.name, block, at));
    if (progress) progress(at + n);
  }
  dfu_->dnload(block, {}, fmt::format("the end of phase 0x{:02X}", phase));
  dfu_->wait_for_state({State::dfuIDLE}, options_.manifest_budget, fmt::format("manifestation of phase 0x{:02X}", phase));
}

void PhaseClient::detach() {
  select(alt_for(kVirtual)->alt);
  try {
    dfu_->detach(255);
  } catch (const Error& e) {
    // The device may be gone before the status stage completes.
    if (e.kind() != ErrorKind::no_device && e.kind() != ErrorKind::device_error && e.kind() != ErrorKind::timeout) throw;
  }
}

}  // namespace omv::dfu::phases
