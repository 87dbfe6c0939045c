#pragma once
// Serves a SerialDeviceModel on a pseudo-terminal, as one virtual camera process on a sim bus:
// BUS/<serial>/ holds the memories, device.json (as for USB cameras, with the CDC device's USB
// identity), serial.json ({"tty": "/dev/pts/N", ...}) and a `tty` symlink to the port, so any
// program (bossac included) can open it. The camera's Unix socket answers stats, fault and
// shutdown like the USB host does, so `omv sim stop/stats` work unchanged.
//
// The pty stands for the USB CDC port: a reset or a mode change closes it (the host sees the
// device go away) and opens a new one, as re-enumeration does. Line settings are read from the
// pty (the baud a host sets is visible here), so the 1200-baud touch can be modelled.
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "boards/board.h"
#include "transport/sim_bus.h"
#include "sim/faults.h"
#include "sim/flash_memory.h"
#include "sim/launcher.h"
#include "sim/model_registry.h"
#include "sim/models/serial_model.h"
#include "sim/probe/probe_server.h"

namespace omv::sim {

std::filesystem::path serial_json_path(const std::filesystem::path& camera_dir);
std::filesystem::path tty_link_path(const std::filesystem::path& camera_dir);

// Something to do before the memories are opened (seeding a fresh camera's flash).
using SerialModelPrepare = void (*)(const boards::Board& board, const std::filesystem::path& state_dir);
void register_serial_prepare(const std::string& bootloader_type, SerialModelPrepare prepare);

class SerialPtyHost {
 public:
  SerialPtyHost(const boards::Board& board, const StartOptions& options, const std::string& serial);
  ~SerialPtyHost();
  SerialPtyHost(const SerialPtyHost&) = delete;
  SerialPtyHost& operator=(const SerialPtyHost&) = delete;

  // Until shutdown or SIGTERM/SIGINT, or until the model hands over to a mode a USB or HID model
  // serves (the running camera resetting into its DFU bootloader): then handover() names it.
  void serve();
  const std::optional<std::string>& handover() const { return handover_; }
  uint64_t generation() const { return record_.generation; }
  std::map<std::string, FlashCounters> memory_counters() const { return memories_->counters(); }
  nlohmann::json stats() const;
  int probe_port() const { return probe_ ? probe_->port() : 0; }

 private:
  void build_model(const std::string& mode);
  void open_pty();
  void close_pty();
  void publish();
  void serve_pty();
  void check_line();
  void flush_output();
  void handle_socket(int fd);
  std::chrono::nanoseconds scaled(std::chrono::nanoseconds t) const;

  boards::Board board_;
  StartOptions options_;
  CameraRecord record_;
  std::unique_ptr<MemoryBank> memories_;
  FaultPlan faults_;
  std::unique_ptr<ModelContext> context_;
  std::unique_ptr<SerialDeviceModel> model_;
  std::unique_ptr<ProbeServer> probe_;
  int master_ = -1;
  std::string tty_;
  bool peer_open_ = false;
  uint32_t baud_ = 0;
  std::vector<uint8_t> pending_out_;
  int listen_fd_ = -1;
  bool stop_ = false;
  uint64_t bytes_in_ = 0, bytes_out_ = 0, reenumerations_ = 0, opens_ = 0;
  std::optional<std::string> handover_;
  std::optional<std::string> pending_handover_;  // the model left for a USB mode; the port lingers
  std::chrono::steady_clock::time_point handover_at_{};
  static constexpr std::chrono::milliseconds kPortLinger{1000};
};

// True when this board in this mode is served by a serial model (start_camera then runs a
// SerialPtyHost instead of the USB host).
bool has_serial_model(const boards::Board& board, const std::string& mode);

}  // namespace omv::sim
