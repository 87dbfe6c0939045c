#pragma once
// The virtual probe: a GDB server on 127.0.0.1 beside a virtual camera (`omv sim start TARGET
// --probe [--probe-flavour F] [--probe-port N]`), serving the protocol stub (protocol/gdb/stub.h)
// over the camera's own memories, so what a debugger writes through it is what the bootloader
// models read, and the other way round. One debugger at a time, as J-Link and ST-LINK allow.
//
// It publishes BUS/<serial>/probe.json ({"host", "port", "flavour"}). A camera host polls its
// descriptors in its own loop (poll_fds / serve_ready), so the probe needs no thread. Each
// packet's device time (SWD transfer, flash erase and program) passes, scaled, before its reply
// goes out. Faults (sim/faults.h): probe_drop, probe_error, probe_silent, probe_bad_crc.
#include <nlohmann/json.hpp>
#include <poll.h>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "boards/board.h"
#include "protocol/gdb/stub.h"
#include "sim/faults.h"
#include "sim/flash_memory.h"
#include "sim/probe/probe_target.h"

namespace omv::sim {

std::filesystem::path probe_json_path(const std::filesystem::path& camera_dir);
// What a running camera's probe published; nullopt when it has none.
std::optional<nlohmann::json> read_probe_json(const std::filesystem::path& camera_dir);

struct ProbeOptions {
  std::string flavour;  // empty: no probe
  int port = 0;         // 0: any free port
};

class ProbeServer {
 public:
  ProbeServer(MemoryBank& memories, FaultPlan& faults, const ProbeOptions& options,
              double time_scale, const std::filesystem::path& camera_dir);
  ~ProbeServer();
  ProbeServer(const ProbeServer&) = delete;
  ProbeServer& operator=(const ProbeServer&) = delete;

  int port() const { return port_; }
  // Appends the descriptors to watch; serve_ready handles those of them that are ready.
  void poll_fds(std::vector<pollfd>& fds) const;
  void serve_ready(const std::vector<pollfd>& fds);
  nlohmann::json stats() const;
  std::chrono::nanoseconds swd_time() const { return target_.swd_time(); }

 private:
  void accept_connection();
  void serve_connection();
  void drop_connection();

  MemoryBank& memories_;
  FaultPlan& faults_;
  ProbeTarget target_;
  protocol::gdb::Stub stub_;
  double time_scale_;
  std::filesystem::path camera_dir_;
  int listen_fd_ = -1;
  int conn_fd_ = -1;
  int port_ = 0;
  uint64_t connections_ = 0, refused_ = 0, drops_ = 0, bytes_in_ = 0, bytes_out_ = 0;
};

}  // namespace omv::sim
