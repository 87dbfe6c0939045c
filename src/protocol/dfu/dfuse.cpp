#include "protocol/dfu/dfuse.h"

#include <algorithm>

#include "core/numbers.h"

namespace omv::dfu {
namespace {

std::vector<uint8_t> with_address(uint8_t opcode, uint32_t a) {
  return {opcode, static_cast<uint8_t>(a), static_cast<uint8_t>(a >> 8), static_cast<uint8_t>(a >> 16),
          static_cast<uint8_t>(a >> 24)};
}

}  // namespace

void DfuseTarget::command(std::span<const uint8_t> bytes, Millis budget, const std::string& what) {
  dfu_.dnload(0, bytes, what);
  // The first GETSTATUS starts the command (dfuDNBUSY); the loop then honours its poll timeout.
  dfu_.wait_for_state({State::dfuDNLOAD_IDLE}, budget, what);
}

void DfuseTarget::set_address(uint32_t address, Millis budget) {
  command(with_address(0x21, address), budget, "DfuSe set address " + hex32(address));
}

void DfuseTarget::erase_page(uint32_t address, Millis budget) {
  command(with_address(0x41, address), budget, "DfuSe erase of the page at " + hex32(address));
}

void DfuseTarget::mass_erase(Millis budget) {
  const uint8_t cmd = 0x41;
  command(std::span<const uint8_t>(&cmd, 1), budget, "DfuSe mass erase");
}

std::vector<uint8_t> DfuseTarget::get_commands() {
  dfu_.ensure_idle(Millis(1000));
  std::vector<uint8_t> buf(dfu_.transfer_size());
  size_t n = dfu_.upload(0, buf, Millis(5000), "DfuSe get commands");
  buf.resize(n);
  dfu_.abort();
  return buf;
}

void DfuseTarget::write_chunk(uint32_t address, std::span<const uint8_t> data, Millis budget) {
  set_address(address, Millis(5000));
  dfu_.download_and_wait(2, data, budget, "DfuSe write of " + std::to_string(data.size()) + " bytes at " + hex32(address));
}

void DfuseTarget::read(uint32_t address, std::span<uint8_t> out, Millis per_transfer,
                       const std::function<void(size_t)>& on_progress) {
  const size_t xfer = dfu_.transfer_size();
  size_t done = 0;
  // Whole transfers with the device's block arithmetic; a short tail from its own address.
  const size_t whole = out.size() / xfer * xfer;
  if (whole) {
    set_address(address, Millis(5000));
    dfu_.abort();
    for (uint16_t block = 2; done < whole; ++block) {
      size_t n = dfu_.upload(block, out.subspan(done, xfer), per_transfer, "DfuSe read at " + hex32(address + done));
      if (n != xfer)
        fail(ErrorKind::device_error, "DfuSe device " + dfu_.label() + " returned " + std::to_string(n) +
                                          " bytes for the read at " + hex32(address + done) + " (" + std::to_string(xfer) + " asked)");
      done += n;
      if (on_progress) on_progress(done);
    }
    dfu_.abort();
  }
  if (done < out.size()) {
    uint32_t tail = static_cast<uint32_t>(address + done);
    set_address(tail, Millis(5000));
    dfu_.abort();
    size_t want = out.size() - done;
    size_t n = dfu_.upload(2, out.subspan(done, want), per_transfer, "DfuSe read at " + hex32(tail));
    if (n != want)
      fail(ErrorKind::device_error, "DfuSe device " + dfu_.label() + " returned " + std::to_string(n) +
                                        " bytes for the read at " + hex32(tail));
    done += n;
    dfu_.abort();
    if (on_progress) on_progress(done);
  }
}

void DfuseTarget::leave(std::optional<uint32_t> address) {
  if (address) set_address(*address, Millis(5000));
  dfu_.dnload(2, {}, "DfuSe leave");
  try {
    // The device answers dfuMANIFEST and goes; it may also vanish before answering.
    auto s = dfu_.get_status(Millis(2000));
    if (s.state != static_cast<uint8_t>(State::dfuMANIFEST) && s.status != 0)
      fail(ErrorKind::device_error, "DfuSe device " + dfu_.label() + " did not leave DFU: " + state_name(s.state) +
                                        ", " + status_name(s.status));
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::no_device && e.kind() != ErrorKind::timeout) throw;
  }
}

}  // namespace omv::dfu
