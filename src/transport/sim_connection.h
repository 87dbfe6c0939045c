#pragma once
// One client connection to a virtual camera on a sim bus (see src/sim/wire.h), shared by the
// sim USB and HID backends. Errors: Error{no_device} when the camera vanished or re-enumerated,
// UsbStall on a stall, Error{timeout} when it does not answer in time (the connection is then
// unusable, as a real handle would be after a timed-out transfer).
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "transport/sim_wire.h"

namespace omv::transport {

class SimConnection {
 public:
  SimConnection(std::filesystem::path camera_dir, std::string label, uint64_t generation);
  ~SimConnection();
  SimConnection(const SimConnection&) = delete;
  SimConnection& operator=(const SimConnection&) = delete;

  // Sends a request and returns the reply body (ok). Stall → UsbStall; gone/EOF → no_device.
  std::vector<uint8_t> request(sim::wire::Op op, std::span<const uint8_t> body, std::chrono::milliseconds timeout,
                               const std::string& what);

 private:
  [[noreturn]] void gone(const std::string& what);
  std::filesystem::path dir_;
  std::string label_;
  int fd_ = -1;
};

// Waits until `ready()` is true or the timeout passes, waking on changes in the bus folder and
// every camera folder in it (device.json is replaced on every re-enumeration).
bool wait_for_bus_change(const std::filesystem::path& bus, const std::function<bool()>& ready,
                         std::chrono::milliseconds timeout);

}  // namespace omv::transport
