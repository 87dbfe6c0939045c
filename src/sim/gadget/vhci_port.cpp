#include "sim/gadget/vhci_port.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include "core/error.h"

namespace omv::sim::gadget {
namespace usbip {
namespace {

uint32_t be32(std::span<const uint8_t> b, size_t at) {
  return (uint32_t{b[at]} << 24) | (uint32_t{b[at + 1]} << 16) | (uint32_t{b[at + 2]} << 8) | b[at + 3];
}
void put_be32(std::vector<uint8_t>& out, uint32_t v) {
  for (int shift = 24; shift >= 0; shift -= 8) out.push_back(static_cast<uint8_t>(v >> shift));
}

}  // namespace

Command parse_command(std::span<const uint8_t, kHeaderSize> h) {
  Command c;
  c.command = be32(h, 0);
  c.seqnum = be32(h, 4);
  c.devid = be32(h, 8);
  c.direction = be32(h, 12);
  c.endpoint = be32(h, 16);
  if (c.command == kCmdSubmit) {
    c.transfer_length = be32(h, 24);
    c.number_of_packets = be32(h, 32);
    std::memcpy(c.setup, h.data() + 40, 8);
  } else if (c.command == kCmdUnlink) {
    c.unlink_seqnum = be32(h, 20);
  }
  return c;
}

std::vector<uint8_t> ret_submit(uint32_t seqnum, int32_t status, std::span<const uint8_t> in_data,
                                uint32_t actual_length) {
  std::vector<uint8_t> out;
  out.reserve(kHeaderSize + in_data.size());
  for (uint32_t v : {kRetSubmit, seqnum, 0u, 0u, 0u}) put_be32(out, v);
  put_be32(out, static_cast<uint32_t>(status));
  put_be32(out, actual_length);
  put_be32(out, 0);  // start_frame
  put_be32(out, 0);  // number_of_packets: not isochronous
  put_be32(out, 0);  // error_count
  out.resize(kHeaderSize, 0);
  out.insert(out.end(), in_data.begin(), in_data.end());
  return out;
}

std::vector<uint8_t> ret_unlink(uint32_t seqnum, int32_t status) {
  std::vector<uint8_t> out;
  for (uint32_t v : {kRetUnlink, seqnum, 0u, 0u, 0u}) put_be32(out, v);
  put_be32(out, static_cast<uint32_t>(status));
  out.resize(kHeaderSize, 0);
  return out;
}

int free_port(const std::string& status_text) {
  // Lines: "hs  0003 004 000 00000000 000000 0-0" = hub, port, state (4 = free), speed, ...
  std::istringstream in(status_text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string hub, port, state;
    if (!(fields >> hub >> port >> state) || hub != "hs") continue;
    try {
      if (std::stoi(state) == 4) return std::stoi(port);
    } catch (const std::exception&) {
    }
  }
  return -1;
}

}  // namespace usbip

namespace {

constexpr const char* kSetupHint = "as root: modprobe vhci-hcd";
constexpr int32_t kStall = -EPIPE;

std::string read_text(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

bool read_exactly(int fd, uint8_t* data, size_t n) {
  size_t got = 0;
  while (got < n) {
    const ssize_t r = ::read(fd, data + got, n - got);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    got += static_cast<size_t>(r);
  }
  return true;
}

bool write_all(int fd, std::span<const uint8_t> data) {
  size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t r = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    sent += static_cast<size_t>(r);
  }
  return true;
}

bool port_is_free(const std::filesystem::path& vhci, int port) {
  const auto text = read_text(vhci / "status");
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string hub, p, state;
    if ((fields >> hub >> p >> state) && hub == "hs" && std::atoi(p.c_str()) == port) return std::atoi(state.c_str()) == 4;
  }
  return false;
}

}  // namespace

VhciPort::VhciPort(std::filesystem::path vhci, bool high_speed) : vhci_(std::move(vhci)), high_speed_(high_speed) {
  if (!std::filesystem::exists(vhci_ / "attach"))
    fail(ErrorKind::unsupported,
         fmt::format("gadget: no USB/IP virtual host controller at {}", vhci_.string()), kSetupHint);
}

VhciPort::~VhciPort() { unplug(); }

void VhciPort::plug(const Descriptors&) {
  unplug();
  // The same socket as before when it frees up in time: a camera re-enumerates where it is plugged.
  int port = -1;
  if (port_ >= 0) {
    const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(3);
    while (std::chrono::steady_clock::now() < until && !port_is_free(vhci_, port_))
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    if (port_is_free(vhci_, port_)) port = port_;
  }
  if (port < 0) port = usbip::free_port(read_text(vhci_ / "status"));
  if (port < 0) fail(ErrorKind::refused, fmt::format("gadget: every port of {} is in use", vhci_.string()));

  int pair[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0)
    fail(ErrorKind::io, fmt::format("gadget: socketpair: {}", std::strerror(errno)));
  static uint32_t attached = 0;
  devid_ = (0x0F0Du << 16) | (++attached & 0xFFFF);
  const int speed = high_speed_ ? 3 : 2;  // enum usb_device_speed: FULL = 2, HIGH = 3
  const std::string line = fmt::format("{} {} {} {}", port, pair[1], devid_, speed);
  const int attach = ::open((vhci_ / "attach").c_str(), O_WRONLY | O_CLOEXEC);
  const bool ok = attach >= 0 && ::write(attach, line.data(), line.size()) == static_cast<ssize_t>(line.size());
  const int err = errno;
  if (attach >= 0) ::close(attach);
  ::close(pair[1]);  // the kernel holds its own reference now
  if (!ok) {
    ::close(pair[0]);
    fail(err == EACCES || err == EPERM ? ErrorKind::permission : ErrorKind::io,
         fmt::format("gadget: cannot attach to port {} of {}: {}", port, vhci_.string(), std::strerror(err)),
         err == EACCES || err == EPERM ? "attaching a device to the virtual host controller needs root" : "");
  }
  fd_ = pair[0];
  port_ = port;
  pending_ = false;
}

void VhciPort::unplug() {
  if (fd_ >= 0) {
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
  }
  fd_ = -1;
  pending_ = false;
}

void VhciPort::lost() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  pending_ = false;
}

std::vector<SetupPacket> VhciPort::wait(transport::Millis timeout) {
  auto wait_ms = static_cast<int>(timeout.count());
  while (fd_ >= 0) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, wait_ms) <= 0) return {};
    wait_ms = 0;
    uint8_t header[usbip::kHeaderSize];
    if (!read_exactly(fd_, header, sizeof header)) {
      lost();
      return {};
    }
    const auto cmd = usbip::parse_command(std::span<const uint8_t, usbip::kHeaderSize>(header, sizeof header));
    if (cmd.command == usbip::kCmdUnlink) {
      // Every request is answered before the next one is read, so the URB is already back.
      if (!write_all(fd_, usbip::ret_unlink(cmd.seqnum, 0))) lost();
      continue;
    }
    if (cmd.command != usbip::kCmdSubmit) {
      lost();
      return {};
    }
    out_data_.clear();
    if (cmd.direction == 0 && cmd.transfer_length > 0) {
      if (cmd.transfer_length > (1u << 24)) {
        lost();
        return {};
      }
      out_data_.resize(cmd.transfer_length);
      if (!read_exactly(fd_, out_data_.data(), out_data_.size())) {
        lost();
        return {};
      }
    }
    seqnum_ = cmd.seqnum;
    pending_ = true;
    const bool isochronous = cmd.number_of_packets != 0 && cmd.number_of_packets != 0xFFFFFFFF;
    if (cmd.endpoint != 0 || isochronous) {
      // Only control transfers are served; a request to another endpoint is refused.
      reply(kStall, {});
      continue;
    }
    SetupPacket s;
    s.request_type = cmd.setup[0];
    s.request = cmd.setup[1];
    s.value = static_cast<uint16_t>(cmd.setup[2] | (cmd.setup[3] << 8));
    s.index = static_cast<uint16_t>(cmd.setup[4] | (cmd.setup[5] << 8));
    s.length = static_cast<uint16_t>(cmd.setup[6] | (cmd.setup[7] << 8));
    return {s};
  }
  return {};
}

std::vector<uint8_t> VhciPort::receive(size_t length) {
  std::vector<uint8_t> data = out_data_;
  if (data.size() > length) data.resize(length);
  return data;
}

void VhciPort::send(std::span<const uint8_t> data) { reply(0, data); }

void VhciPort::acknowledge() { reply(0, {}); }

void VhciPort::stall() { reply(kStall, {}); }

void VhciPort::reply(int32_t status, std::span<const uint8_t> in_data) {
  if (!pending_ || fd_ < 0) return;
  pending_ = false;
  // An OUT transfer reports the bytes it took; an IN transfer the bytes it returns.
  const auto actual = static_cast<uint32_t>(status != 0 ? 0 : in_data.empty() ? out_data_.size() : in_data.size());
  if (!write_all(fd_, usbip::ret_submit(seqnum_, status, in_data, actual))) lost();
}

}  // namespace omv::sim::gadget
