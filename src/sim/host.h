#pragma once
// The sim-bus host: serves one virtual camera's device model over the camera's Unix socket,
// applies the timing model (the device stays unresponsive while it erases or programs, bus time
// per transfer, all divided by the time scale), publishes re-enumerations to device.json, and
// swaps models when one hands over to another mode. It runs in its own process (see launcher.h).
#include <chrono>
#include <deque>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "boards/board.h"
#include "transport/sim_bus.h"
#include "sim/faults.h"
#include "sim/flash_memory.h"
#include "sim/model_registry.h"
#include "sim/probe/probe_server.h"
#include "transport/sim_wire.h"

namespace omv::sim {

struct HostOptions {
  boards::Board board;
  std::string mode = "bootloader";
  std::string serial;
  std::filesystem::path bus;
  double time_scale = 1;
  std::vector<std::string> faults;
  uint64_t generation = 1;  // continues across a handover between hosts
  std::map<std::string, FlashCounters> carried_counters;
  ProbeOptions probe;
};

class CameraHost {
 public:
  // Creates the state folder and memories, builds the model, listens and publishes device.json.
  explicit CameraHost(HostOptions options);
  ~CameraHost();
  CameraHost(const CameraHost&) = delete;
  CameraHost& operator=(const CameraHost&) = delete;

  // Serves until a shutdown request or SIGTERM/SIGINT, or until the model hands over to a mode
  // another host serves (the running camera's serial port): then handover() names it.
  void serve();
  const std::optional<std::string>& handover() const { return handover_; }
  uint64_t generation() const { return record_.generation; }
  std::map<std::string, FlashCounters> memory_counters() const { return memories_->counters(); }
  const std::filesystem::path& dir() const { return record_.dir; }
  nlohmann::json stats() const;
  // The virtual probe's port (after a handover the next host listens on the same one).
  int probe_port() const { return probe_ ? probe_->port() : 0; }

 private:
  struct Client {
    int fd = -1;
    bool attached = false;     // said hello for the current generation
    uint64_t generation = 0;
  };
  void build_model(const std::string& mode);
  void publish();
  void reenumerate();
  bool handle(Client& client, const wire::Frame& frame);  // false: close the connection
  void reply(Client& client, wire::Status status, std::span<const uint8_t> body = {});
  void device_request(Client& client, const wire::Frame& frame);
  std::optional<std::vector<uint8_t>> standard_request(const SetupPacket& setup);
  void check_identity();
  void pace(std::chrono::steady_clock::time_point until);
  std::chrono::steady_clock::time_point report_queue_room() const;
  void note_report_read(std::chrono::steady_clock::time_point at);
  std::chrono::nanoseconds scaled(std::chrono::nanoseconds device_time) const;

  HostOptions options_;
  CameraRecord record_;
  std::unique_ptr<MemoryBank> memories_;
  FaultPlan faults_;
  std::unique_ptr<ModelContext> context_;
  std::unique_ptr<UsbDeviceModel> usb_;
  std::unique_ptr<HidDeviceModel> hid_;
  std::unique_ptr<ProbeServer> probe_;
  uint64_t model_generation_ = 0;
  bool model_present_ = false;
  int listen_fd_ = -1;
  std::vector<Client> clients_;
  bool stop_ = false;
  std::chrono::steady_clock::time_point free_at_{};
  // When the host took its last few input reports: the interrupt IN pipe runs ahead of the
  // application's reads only as far as the host's report queue lets it.
  std::deque<std::chrono::steady_clock::time_point> report_reads_;
  std::chrono::nanoseconds bus_time_{0};
  std::map<std::string, uint64_t> requests_;
  uint64_t reenumerations_ = 0;
  std::optional<std::string> handover_;
};

}  // namespace omv::sim
