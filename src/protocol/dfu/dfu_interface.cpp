#include "protocol/dfu/dfu_interface.h"

#include <algorithm>

#include "core/numbers.h"

namespace omv::dfu {
namespace {

std::string describe(const StatusReply& s) {
  return std::string("state ") + state_name(s.state) + ", status " + status_name(s.status) + " (" +
         status_text(s.status) + ")";
}

bool in(std::initializer_list<State> set, uint8_t state) {
  return std::any_of(set.begin(), set.end(), [&](State s) { return static_cast<uint8_t>(s) == state; });
}

}  // namespace

DfuInterface::DfuInterface(transport::UsbDevice& device, uint8_t interface, FunctionalDescriptor descriptor,
                           Clock& clock, DfuOptions options)
    : device_(device), interface_(interface), descriptor_(descriptor), clock_(clock), options_(options) {}

std::string DfuInterface::label() const {
  const auto& i = device_.info();
  return format_usb_id(i.id) + (i.serial.empty() ? "" : " " + i.serial);
}

StatusReply DfuInterface::get_status(Millis timeout) {
  uint8_t buf[6] = {};
  polls_++;
  size_t n = device_.control_in(kIn, GETSTATUS, 0, interface_, buf, timeout);
  auto s = parse_status(std::span<const uint8_t>(buf, n));
  if (!s)
    fail(ErrorKind::device_error, "DFU device " + label() + " sent a " + std::to_string(n) +
                                      "-byte GETSTATUS reply (6 expected)");
  return *s;
}

uint8_t DfuInterface::get_state() {
  uint8_t b = 0;
  size_t n = device_.control_in(kIn, GETSTATE, 0, interface_, std::span<uint8_t>(&b, 1), options_.control_timeout);
  if (n != 1) fail(ErrorKind::device_error, "DFU device " + label() + " sent no GETSTATE reply");
  return b;
}

void DfuInterface::clear_status() { device_.control_out(kOut, CLRSTATUS, 0, interface_, {}, options_.control_timeout); }
void DfuInterface::abort() { device_.control_out(kOut, ABORT, 0, interface_, {}, options_.control_timeout); }
void DfuInterface::detach(uint16_t timeout_ms) {
  device_.control_out(kOut, DETACH, timeout_ms, interface_, {}, options_.control_timeout);
}

void DfuInterface::dnload(uint16_t block, std::span<const uint8_t> data, const std::string& what) {
  try {
    device_.control_out(kOut, DNLOAD, block, interface_, data, options_.control_timeout);
  } catch (const transport::UsbStall&) {
    explain_stall(what);
  }
}

size_t DfuInterface::upload(uint16_t block, std::span<uint8_t> buffer, Millis timeout, const std::string& what) {
  try {
    return device_.control_in(kIn, UPLOAD, block, interface_, buffer, timeout);
  } catch (const transport::UsbStall&) {
    explain_stall(what);
  }
}

void DfuInterface::explain_stall(const std::string& what) {
  // The stall moved the device to dfuERROR; its status says why.
  StatusReply s;
  try {
    s = get_status(options_.control_timeout);
  } catch (const Error&) {
    fail(ErrorKind::device_error, "DFU device " + label() + " stalled " + what);
  }
  if (s.state == static_cast<uint8_t>(State::dfuERROR)) {
    try {
      clear_status();
    } catch (const Error&) {
    }
  }
  throw DfuStatusError(s.status, s.state, "DFU device " + label() + " stalled " + what + ": " + describe(s));
}

void DfuInterface::fail_with_status(const StatusReply& s, const std::string& what) {
  if (s.state == static_cast<uint8_t>(State::dfuERROR)) {
    try {
      clear_status();
    } catch (const Error&) {
    }
  }
  throw DfuStatusError(s.status, s.state, "DFU device " + label() + " failed " + what + ": " + describe(s));
}

bool DfuInterface::recover_stuck_busy() {
  for (int i = 0; i < 2; ++i) {
    try {
      clear_status();
    } catch (const transport::UsbStall&) {
      // Expected for the first one: a request in dfuDNBUSY stalls and moves to dfuERROR.
    }
  }
  auto s = get_status(options_.control_timeout);
  return s.state == static_cast<uint8_t>(State::dfuIDLE) && s.status == 0;
}

StatusReply DfuInterface::wait_for_state(std::initializer_list<State> wanted, Millis budget, const std::string& what) {
  const auto deadline = clock_.now() + budget;
  while (true) {
    auto left = std::chrono::duration_cast<Millis>(deadline - clock_.now());
    // A device busy with flash work may hold the GETSTATUS itself: give it what is left.
    StatusReply s = get_status(std::max(left, options_.control_timeout));
    if (s.status != 0 || s.state == static_cast<uint8_t>(State::dfuERROR)) fail_with_status(s, what);
    if (in(wanted, s.state)) return s;
    if (clock_.now() >= deadline) {
      if (s.state == static_cast<uint8_t>(State::dfuDNBUSY) && options_.clear_stuck_busy && recover_stuck_busy()) {
        s.state = static_cast<uint8_t>(State::dfuIDLE);
        return s;
      }
      fail(ErrorKind::timeout,
           "DFU device " + label() + " still in " + state_name(s.state) + " after " + std::to_string(budget.count()) +
               " ms during " + what,
           "unplug and reconnect the camera, then run the command again");
    }
    clock_.sleep_for(Millis(s.poll_timeout_ms));  // exactly what the device asked for
  }
}

void DfuInterface::ensure_idle(Millis budget) {
  for (int round = 0; round < 4; ++round) {
    StatusReply s;
    try {
      s = get_status(options_.control_timeout);
    } catch (const transport::UsbStall&) {
      // Some loaders stall GETSTATUS in odd states; the stall leaves them in dfuERROR.
      clear_status();
      continue;
    }
    switch (static_cast<State>(s.state)) {
      case State::dfuIDLE:
        if (s.status == 0) return;
        clear_status();
        break;
      case State::dfuERROR:
        clear_status();
        break;
      case State::dfuDNLOAD_IDLE:
      case State::dfuUPLOAD_IDLE:
      case State::dfuDNLOAD_SYNC:
      case State::dfuMANIFEST_SYNC:
        abort();
        break;
      case State::dfuDNBUSY:
      case State::dfuMANIFEST: {
        // Left over from an interrupted run: wait out what it said, then clear it.
        clock_.sleep_for(std::min(Millis(s.poll_timeout_ms), budget));
        auto again = get_status(std::max(budget, options_.control_timeout));
        if (again.state == static_cast<uint8_t>(State::dfuDNBUSY)) recover_stuck_busy();
        break;
      }
      case State::appIDLE:
      case State::appDETACH:
        fail(ErrorKind::device_error, "DFU device " + label() + " is still in run-time mode (" + state_name(s.state) + ")",
             "it must re-enumerate in DFU mode first");
      default:
        fail(ErrorKind::device_error, "DFU device " + label() + " is in " + state_name(s.state) + " and cannot be brought to dfuIDLE",
             "reset the camera and run the command again");
    }
  }
  auto s = get_status(options_.control_timeout);
  if (s.state != static_cast<uint8_t>(State::dfuIDLE) || s.status != 0)
    fail(ErrorKind::device_error, "DFU device " + label() + " does not return to dfuIDLE: " + describe(s),
         "reset the camera and run the command again");
}

void DfuInterface::download_and_wait(uint16_t block, std::span<const uint8_t> data, Millis budget,
                                     const std::string& what) {
  dnload(block, data, what);
  wait_for_state({State::dfuDNLOAD_IDLE}, budget, what);
}

}  // namespace omv::dfu
