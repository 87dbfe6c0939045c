#include "sim/launcher.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <functional>
#include <optional>
#include <thread>

#include "core/error.h"
#include "platform/fds.h"
#include "platform/process_exit.h"
#include "sim/host.h"
#include "sim/models/serial_pty_host.h"
#include "transport/sim_bus.h"
#include "transport/sim_wire.h"

namespace omv::sim {
namespace {

std::string ask(const std::filesystem::path& bus, const std::string& serial, wire::Op op, const std::string& body) {
  auto dir = camera_dir(bus, serial);
  auto rec = read_camera(dir);
  if (!rec || !camera_alive(*rec))
    fail(ErrorKind::no_device, "no virtual camera " + serial + " running on " + bus.string(),
         "start one with 'omv sim start TARGET --bus " + bus.string() + "'");
  int fd = wire::connect_unix(socket_path(dir));
  if (fd < 0) fail(ErrorKind::no_device, "virtual camera " + serial + " does not answer on " + socket_path(dir).string());
  std::vector<uint8_t> b(body.begin(), body.end());
  wire::send_frame(fd, static_cast<uint8_t>(op), b);
  std::optional<wire::Frame> reply;
  try {
    reply = wire::recv_frame(fd, std::chrono::milliseconds(10000));
  } catch (...) {
    ::close(fd);
    throw;
  }
  ::close(fd);
  if (!reply) fail(ErrorKind::no_device, "virtual camera " + serial + " closed the connection");
  std::string text(reply->body.begin(), reply->body.end());
  if (reply->code != static_cast<uint8_t>(wire::Status::ok)) fail(ErrorKind::usage, text);
  return text;
}

bool wait_for_exit(int pid, std::chrono::milliseconds timeout) { return platform::os::wait_for_pid_exit(pid, timeout); }

[[noreturn]] void run_camera(const boards::Board& board, const StartOptions& options, const std::string& serial,
                             int ready_fd) {
  int code = 0;
  bool ready_sent = false;
  try {
    auto dir = camera_dir(options.bus, serial);
    std::filesystem::create_directories(dir);
    std::ofstream(pid_path(dir), std::ios::trunc) << ::getpid() << '\n';
    int log = ::open(log_path(dir).c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    int null = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (null >= 0) ::dup2(null, 0);
    if (log >= 0) {
      ::dup2(log, 1);
      ::dup2(log, 2);
    }
    // One host per mode family: a camera behind a serial port (SAM-BA bootloader, running
    // firmware) is served on a pty, the others over the USB socket. A model may hand over to a
    // mode the other host serves (SYS_BOOT from the firmware into the DFU bootloader, DFU
    // DETACH back into the firmware); the camera then "re-enumerates" after the board's
    // re-enumeration time.
    StartOptions current = options;
    auto signal_ready = [&] {
      if (ready_sent) return;
      ready_sent = true;
      const char ok = 'R';
      if (::write(ready_fd, &ok, 1) != 1) {}
      ::close(ready_fd);
    };
    for (;;) {
      std::optional<std::string> next;
      uint64_t generation = current.generation;
      std::map<std::string, FlashCounters> counters;
      if (has_serial_model(board, current.mode)) {
        SerialPtyHost camera(board, current, serial);
        signal_ready();
        camera.serve();
        next = camera.handover();
        generation = camera.generation();
        counters = camera.memory_counters();
        current.probe.port = camera.probe_port();
      } else {
        HostOptions host{board, current.mode, serial, current.bus, current.time_scale, current.faults, current.generation,
                         current.carried_counters, current.probe};
        CameraHost camera(std::move(host));
        signal_ready();
        camera.serve();
        next = camera.handover();
        generation = camera.generation();
        counters = camera.memory_counters();
        current.probe.port = camera.probe_port();
      }
      if (!next) break;
      // Re-enumerating: nothing is in flight, so a stop request may end the process at once.
      ::signal(SIGTERM, SIG_DFL);
      ::signal(SIGINT, SIG_DFL);
      current.mode = *next;
      current.generation = generation + 1;
      current.carried_counters = std::move(counters);
      const double ms = static_cast<double>(board.loader_number("reenumeration_ms").value_or(300));
      if (current.time_scale > 0)
        std::this_thread::sleep_for(std::chrono::microseconds(static_cast<int64_t>(ms * 1000.0 / current.time_scale)));
    }
  } catch (const std::exception& e) {
    std::string msg = std::string("E") + e.what();
    if (const auto* err = dynamic_cast<const Error*>(&e)) msg[0] = static_cast<char>('0' + exit_code(err->kind()) % 64);
    if (!ready_sent && ::write(ready_fd, msg.data(), msg.size()) < 0) code = 1;
    std::fprintf(stderr, "virtual camera: %s\n", e.what());
    code = 1;
  }
  std::fflush(nullptr);
  std::error_code ec;
  std::filesystem::remove(pid_path(camera_dir(options.bus, serial)), ec);
  ::_exit(code);
}

ErrorKind kind_from_code(char c) {
  for (auto k : {ErrorKind::usage, ErrorKind::bad_board_data, ErrorKind::io, ErrorKind::unsupported,
                 ErrorKind::refused, ErrorKind::no_device})
    if (static_cast<char>('0' + exit_code(k) % 64) == c) return k;
  return ErrorKind::failure;
}

}  // namespace

std::string default_serial(const boards::Board& board) {
  // FNV-1a over the target, spread to 96 bits: stable, so a restarted camera finds its memories.
  uint64_t h = 1469598103934665603ull;
  for (char c : board.target) h = (h ^ static_cast<uint8_t>(c)) * 1099511628211ull;
  uint64_t h2 = (h ^ 0x9E3779B97F4A7C15ull) * 1099511628211ull;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llX%08X", static_cast<unsigned long long>(h),
                static_cast<unsigned>(h2 >> 32));
  return buf;
}

StartedCamera start_camera(const boards::Board& board, const StartOptions& options) {
  std::string serial = options.serial.empty() ? default_serial(board) : options.serial;
  if (serial.find('/') != std::string::npos || serial.empty() || serial[0] == '.')
    fail(ErrorKind::usage, "bad serial '" + serial + "': it names the camera's folder on the bus");
  if (options.time_scale < 0) fail(ErrorKind::usage, "--time-scale must be 0 (no delays) or positive");
  std::filesystem::create_directories(options.bus);
  auto dir = camera_dir(options.bus, serial);
  if (auto rec = read_camera(dir); rec && camera_alive(*rec))
    fail(ErrorKind::refused, "virtual camera " + serial + " is already running on " + options.bus.string() +
                                 " (pid " + std::to_string(rec->pid) + ")",
         "stop it first: omv sim stop --bus " + options.bus.string() + " --serial " + serial);
  for (const auto& f : options.faults) {
    FaultPlan check;
    check.arm(f);  // reject bad specs here, with the usage exit code
  }

  int pipe_fds[2];
  if (platform::os::pipe_cloexec(pipe_fds) != 0) fail(ErrorKind::io, std::string("pipe: ") + std::strerror(errno));
  std::fflush(nullptr);
  pid_t child = ::fork();
  if (child < 0) fail(ErrorKind::io, std::string("fork: ") + std::strerror(errno));
  if (child == 0) {
    // Detach twice so the camera is nobody's zombie and survives the terminal.
    ::close(pipe_fds[0]);
    ::setsid();
    pid_t grandchild = ::fork();
    if (grandchild != 0) ::_exit(grandchild < 0 ? 1 : 0);
    run_camera(board, options, serial, pipe_fds[1]);
  }
  ::close(pipe_fds[1]);
  int status = 0;
  ::waitpid(child, &status, 0);
  std::string msg;
  char buf[512];
  ssize_t n;
  while ((n = ::read(pipe_fds[0], buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0) {
      msg.append(buf, static_cast<size_t>(n));
      if (msg == "R") break;
    }
  ::close(pipe_fds[0]);
  if (msg != "R") {
    if (msg.size() > 1) fail(kind_from_code(msg[0]), msg.substr(1));
    fail(ErrorKind::failure, "virtual camera " + serial + " exited while starting", "see " + log_path(dir).string());
  }
  // A camera that hands over at once (a secure bootloader whose window is already over) is
  // between two modes for its re-enumeration time: wait for it to publish again.
  auto rec = read_camera(dir);
  for (int i = 0; !rec && i < 500 && camera_process(dir); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
    rec = read_camera(dir);
  }
  if (!rec) fail(ErrorKind::failure, "virtual camera " + serial + " published no device.json", "see " + log_path(dir).string());
  return {serial, rec->pid, dir, rec->generation};
}

bool stop_camera(const std::filesystem::path& bus, const std::string& serial) {
  auto dir = camera_dir(bus, serial);
  auto rec = read_camera(dir);
  std::optional<int> pid;
  if (rec && camera_alive(*rec)) {
    pid = rec->pid;
    try {
      ask(bus, serial, wire::Op::shutdown, {});
    } catch (const Error&) {
      ::kill(*pid, SIGTERM);
    }
  } else if ((pid = camera_process(dir))) {
    // Between two modes (re-enumerating) the process publishes nothing: stop it by its pid.
    ::kill(*pid, SIGTERM);
  }
  if (pid && !wait_for_exit(*pid, std::chrono::milliseconds(5000))) {
    ::kill(*pid, SIGKILL);
    wait_for_exit(*pid, std::chrono::milliseconds(2000));
  }
  std::error_code ec;
  std::filesystem::remove(device_json_path(dir), ec);
  std::filesystem::remove(socket_path(dir), ec);
  std::filesystem::remove(pid_path(dir), ec);
  return pid.has_value();
}

nlohmann::json camera_stats(const std::filesystem::path& bus, const std::string& serial) {
  return nlohmann::json::parse(ask(bus, serial, wire::Op::stats, {}));
}

void arm_fault(const std::filesystem::path& bus, const std::string& serial, const std::string& spec) {
  ask(bus, serial, wire::Op::fault, spec);
}

}  // namespace omv::sim
