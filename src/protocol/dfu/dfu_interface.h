#pragma once
// The host side of one DFU interface (DFU 1.1, DfuSe uses it too): class requests, the
// GETSTATUS poll loop and recovery to dfuIDLE. Rules it keeps:
//  - between two GETSTATUS it waits exactly the bwPollTimeout the device reported, and polls at
//    once when that is 0 (no added sleeps);
//  - every wait has a budget the caller computes for that operation (an H7 sector erase takes
//    up to 2.2 s; a block program a few ms): never one global timeout;
//  - dfuERROR is cleared with CLRSTATUS and reported with the device's status name.
#include <chrono>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>

#include "protocol/dfu/clock.h"
#include "protocol/dfu/dfu_types.h"
#include "transport/usb.h"

namespace omv::dfu {

using Millis = std::chrono::milliseconds;

// The device reported an error status; kind device_error. Carries the status for callers that
// explain it (ERR_WRITE on a read-only alt, errADDRESS past the limit...).
class DfuStatusError : public Error {
 public:
  DfuStatusError(uint8_t status, uint8_t state, std::string message)
      : Error(ErrorKind::device_error, std::move(message)), status_(status), state_(state) {}
  uint8_t status() const { return status_; }
  uint8_t state() const { return state_; }

 private:
  uint8_t status_;
  uint8_t state_;
};

struct DfuOptions {
  // Some ST ROMs (STM32H743 rev V) stay in dfuDNBUSY after an erase they finished; two CLRSTATUS
  // bring them back to dfuIDLE (the first is stalled in dnBUSY and moves the device to dfuERROR,
  // the second clears that). With this set, a device still busy when the operation's budget runs
  // out is recovered that way instead of failing.
  bool clear_stuck_busy = false;
  Millis control_timeout{5000};  // one control transfer that does not wait for flash work
};

class DfuInterface {
 public:
  DfuInterface(transport::UsbDevice& device, uint8_t interface, FunctionalDescriptor descriptor, Clock& clock,
               DfuOptions options = {});

  const FunctionalDescriptor& descriptor() const { return descriptor_; }
  uint16_t transfer_size() const { return descriptor_.transfer_size; }
  transport::UsbDevice& device() { return device_; }
  std::string label() const;

  StatusReply get_status(Millis timeout);
  uint8_t get_state();
  void clear_status();
  void abort();
  void detach(uint16_t timeout_ms);
  void dnload(uint16_t block, std::span<const uint8_t> data, const std::string& what);
  size_t upload(uint16_t block, std::span<uint8_t> buffer, Millis timeout, const std::string& what);

  // Polls GETSTATUS until the device reaches one of `wanted`, within `budget`. dfuERROR (or an
  // error status) → CLRSTATUS and DfuStatusError naming `what`; budget exceeded → Error{timeout}
  // (or the stuck-busy recovery, see DfuOptions).
  StatusReply wait_for_state(std::initializer_list<State> wanted, Millis budget, const std::string& what);
  // Brings the interface to dfuIDLE from wherever an earlier run left it.
  void ensure_idle(Millis budget);
  // DNLOAD then wait for dfuDNLOAD-IDLE; a stall is explained with the device's status.
  void download_and_wait(uint16_t block, std::span<const uint8_t> data, Millis budget, const std::string& what);

  uint64_t polls() const { return polls_; }

 private:
  [[noreturn]] void fail_with_status(const StatusReply& s, const std::string& what);
  [[noreturn]] void explain_stall(const std::string& what);
  bool recover_stuck_busy();

  transport::UsbDevice& device_;
  uint8_t interface_;
  FunctionalDescriptor descriptor_;
  Clock& clock_;
  DfuOptions options_;
  uint64_t polls_ = 0;
};

}  // namespace omv::dfu
