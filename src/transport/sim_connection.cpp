#include "transport/sim_connection.h"

#include <poll.h>
#include <unistd.h>

#include <cerrno>
#include <functional>

#include "core/error.h"
#include "transport/sim_bus.h"
#include "transport/folder_watch.h"
#include "transport/usb.h"

namespace omv::transport {

SimConnection::SimConnection(std::filesystem::path camera_dir, std::string label, uint64_t generation)
    : dir_(std::move(camera_dir)), label_(std::move(label)) {
  fd_ = sim::wire::connect_unix(sim::socket_path(dir_));
  if (fd_ < 0) gone("open");
  sim::wire::Writer w;
  w.u64(generation);
  request(sim::wire::Op::hello, w.data(), std::chrono::milliseconds(5000), "open");
}

SimConnection::~SimConnection() {
  if (fd_ >= 0) ::close(fd_);
}

void SimConnection::gone(const std::string& what) {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  fail(ErrorKind::no_device, label_ + " vanished during " + what + " (disconnected or re-enumerated)",
       "reconnect the camera and run the command again");
}

std::vector<uint8_t> SimConnection::request(sim::wire::Op op, std::span<const uint8_t> body,
                                            std::chrono::milliseconds timeout, const std::string& what) {
  if (fd_ < 0) gone(what);
  if (!sim::wire::send_frame(fd_, static_cast<uint8_t>(op), body)) gone(what);
  std::optional<sim::wire::Frame> reply;
  try {
    reply = sim::wire::recv_frame(fd_, timeout);
  } catch (const Error&) {
    ::close(fd_);
    fd_ = -1;
    fail(ErrorKind::timeout, label_ + " did not answer " + what + " within " + std::to_string(timeout.count()) + " ms");
  }
  if (!reply) gone(what);
  switch (static_cast<sim::wire::Status>(reply->code)) {
    case sim::wire::Status::ok: return std::move(reply->body);
    case sim::wire::Status::stall: throw UsbStall(label_ + " stalled " + what);
    case sim::wire::Status::gone: gone(what);
    case sim::wire::Status::error: break;
  }
  fail(ErrorKind::device_error, label_ + " rejected " + what + ": " + std::string(reply->body.begin(), reply->body.end()));
}

bool wait_for_bus_change(const std::filesystem::path& bus, const std::function<bool()>& ready,
                         std::chrono::milliseconds timeout) {
  std::error_code ec;
  std::filesystem::create_directories(bus, ec);
  return wait_for_folder_change({{bus, true}}, ready, timeout);
}

}  // namespace omv::transport
