#include "sim/host.h"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <thread>

#include "core/error.h"
#include "core/text.h"
#include "platform/fds.h"
#include "sim/models/serial_model.h"
#include "sim/usb_timing.h"

namespace omv::sim {
namespace {

// Input reports the host holds for the application: hidapi's libusb backend queues 30 (it drops
// the oldest beyond that; the virtual camera waits instead, so a slow host loses nothing).
constexpr size_t kHostReportQueue = 30;

volatile sig_atomic_t g_stop_signal = 0;

void on_stop_signal(int) { g_stop_signal = 1; }

std::vector<uint8_t> string_descriptor(const std::string& text) {
  std::vector<uint8_t> d{0, 3};
  for (char c : text.substr(0, 126)) {
    d.push_back(static_cast<uint8_t>(c));
    d.push_back(0);
  }
  d[0] = static_cast<uint8_t>(d.size());
  return d;
}

const char* op_name(wire::Op op) {
  switch (op) {
    case wire::Op::hello: return "hello";
    case wire::Op::control: return "control";
    case wire::Op::bulk_out: return "bulk_out";
    case wire::Op::bulk_in: return "bulk_in";
    case wire::Op::set_alt: return "set_alt";
    case wire::Op::reset: return "reset";
    case wire::Op::hid_write: return "hid_write";
    case wire::Op::hid_read: return "hid_read";
    case wire::Op::stats: return "stats";
    case wire::Op::fault: return "fault";
    case wire::Op::shutdown: return "shutdown";
  }
  return "unknown";
}

}  // namespace

CameraHost::CameraHost(HostOptions options) : options_(std::move(options)) {
  record_.serial = options_.serial;
  record_.target = options_.board.target;
  record_.pid = static_cast<int>(::getpid());
  record_.time_scale = options_.time_scale;
  record_.dir = camera_dir(options_.bus, options_.serial);
  std::filesystem::create_directories(record_.dir);
  memories_ = std::make_unique<MemoryBank>(options_.board, record_.dir);
  memories_->carry_counters(options_.carried_counters);
  for (const auto& f : options_.faults) faults_.arm(f);
  build_model(options_.mode);
  if (!options_.probe.flavour.empty())
    probe_ = std::make_unique<ProbeServer>(*memories_, faults_, options_.probe, options_.time_scale, record_.dir);
  listen_fd_ = wire::listen_unix(socket_path(record_.dir));
  record_.generation = options_.generation;
  publish();
}

CameraHost::~CameraHost() {
  for (auto& c : clients_) ::close(c.fd);
  if (listen_fd_ >= 0) ::close(listen_fd_);
  std::error_code ec;
  std::filesystem::remove(socket_path(record_.dir), ec);
  std::filesystem::remove(device_json_path(record_.dir), ec);
}

void CameraHost::build_model(const std::string& mode) {
  const std::string type = boards::to_string(options_.board.bootloader_type);
  usb_.reset();
  hid_.reset();
  context_ = std::make_unique<ModelContext>(ModelContext{options_.board, mode, options_.serial, record_.dir,
                                                         *memories_, faults_, options_.time_scale});
  if (const auto* f = find_usb_model(type, mode)) {
    usb_ = (*f)(*context_);
  } else if (const auto* h = find_hid_model(type, mode)) {
    hid_ = (*h)(*context_);
  } else {
    auto modes = registered_modes(type);
    fail(ErrorKind::unsupported,
         "no virtual camera model for " + options_.board.target + " (" + type + ") in " + mode + " mode",
         modes.empty() ? "no mode of this bootloader type is simulated yet" : "simulated modes: " + join(modes, ", "));
  }
  record_.mode = mode;
  auto usb_id = usb_ ? usb_->identity() : std::nullopt;
  auto hid_id = hid_ ? hid_->identity() : std::nullopt;
  model_present_ = usb_id.has_value() || hid_id.has_value();
  model_generation_ = usb_id ? usb_id->generation : 0;
}

void CameraHost::publish() {
  record_.usb.reset();
  record_.hid.reset();
  if (usb_) {
    if (auto id = usb_->identity()) {
      record_.usb = *id;
      record_.usb->generation = record_.generation;
      record_.usb->backend_path = "sim:" + record_.dir.string();
    }
  }
  if (hid_) {
    if (auto id = hid_->identity()) {
      record_.hid = *id;
      record_.hid->path = "sim:" + record_.dir.string();
    }
  }
  write_camera(record_);
}

void CameraHost::reenumerate() {
  record_.generation++;
  report_reads_.clear();
  reenumerations_++;
  // Every open handle belongs to the old device: drop them, as a real disconnect would.
  for (auto& c : clients_)
    if (c.attached) {
      ::close(c.fd);
      c.fd = -1;
    }
  clients_.erase(std::remove_if(clients_.begin(), clients_.end(), [](const Client& c) { return c.fd < 0; }),
                 clients_.end());
  publish();
}

void CameraHost::check_identity() {
  std::optional<std::string> next_mode = usb_ ? usb_->take_mode_change() : hid_ ? hid_->take_mode_change() : std::nullopt;
  if (next_mode) {
    const std::string type = boards::to_string(options_.board.bootloader_type);
    if (!find_usb_model(type, *next_mode) && !find_hid_model(type, *next_mode) &&
        find_serial_model(type, *next_mode)) {
      handover_ = *next_mode;  // the launcher starts the serial host for it
      stop_ = true;
      return;
    }
    // Without a model for the new mode (no application model yet), the camera comes back in the
    // mode it left, as a freshly reset device.
    std::string mode = (find_usb_model(type, *next_mode) || find_hid_model(type, *next_mode)) ? *next_mode : record_.mode;
    build_model(mode);
    reenumerate();
    return;
  }
  auto usb_id = usb_ ? usb_->identity() : std::nullopt;
  auto hid_id = hid_ ? hid_->identity() : std::nullopt;
  bool present = usb_id.has_value() || hid_id.has_value();
  uint64_t gen = usb_id ? usb_id->generation : 0;
  if (present != model_present_ || gen != model_generation_) {
    model_present_ = present;
    model_generation_ = gen;
    reenumerate();
  }
}

std::chrono::nanoseconds CameraHost::scaled(std::chrono::nanoseconds device_time) const {
  if (options_.time_scale <= 0) return {};
  return std::chrono::nanoseconds(static_cast<int64_t>(static_cast<double>(device_time.count()) / options_.time_scale));
}

void CameraHost::pace(std::chrono::steady_clock::time_point until) {
  if (options_.time_scale <= 0) return;
  std::this_thread::sleep_until(until);
}

std::chrono::steady_clock::time_point CameraHost::report_queue_room() const {
  if (report_reads_.size() < kHostReportQueue) return {};
  return report_reads_.front();
}

void CameraHost::note_report_read(std::chrono::steady_clock::time_point at) {
  report_reads_.push_back(at);
  while (report_reads_.size() > kHostReportQueue) report_reads_.pop_front();
}

void CameraHost::reply(Client& client, wire::Status status, std::span<const uint8_t> body) {
  if (!wire::send_frame(client.fd, static_cast<uint8_t>(status), body)) {
    ::close(client.fd);
    client.fd = -1;
  }
}

std::optional<std::vector<uint8_t>> CameraHost::standard_request(const SetupPacket& setup) {
  // GET_DESCRIPTOR(STRING): answered from the published identity, as a USB stack would.
  if (setup.request_type != 0x80 || setup.request != 6 || (setup.value >> 8) != 3) return std::nullopt;
  uint8_t index = static_cast<uint8_t>(setup.value & 0xFF);
  std::vector<uint8_t> d;
  if (index == 0) {
    d = {4, 3, 0x09, 0x04};
  } else if (record_.usb) {
    const auto& u = *record_.usb;
    std::vector<std::string> strings{u.manufacturer, u.product, u.serial};
    for (const auto& i : u.interfaces) strings.push_back(i.name);
    if (index - 1u >= strings.size()) return std::vector<uint8_t>{};
    d = string_descriptor(strings[index - 1u]);
  }
  if (d.size() > setup.length) d.resize(setup.length);
  return d;
}

void CameraHost::device_request(Client& client, const wire::Frame& frame) {
  auto op = static_cast<wire::Op>(frame.code);
  wire::Reader in(frame.body);
  const auto arrived = std::chrono::steady_clock::now();
  // An input report travels when the device has it and the host's queue has room, not when the
  // application asks: the HID driver keeps an interrupt IN transfer pending the whole time the
  // device is open. Every other request starts when it arrives and the device is free.
  const bool report_read = op == wire::Op::hid_read;
  const auto start = report_read ? std::max(free_at_, report_queue_room()) : std::max(arrived, free_at_);
  pace(start);  // a busy device does not answer (NAK) until it is done

  SetupPacket setup;
  std::span<const uint8_t> out;
  uint64_t out_bytes = 0;
  if (op == wire::Op::control) {
    setup.request_type = in.u8();
    setup.request = in.u8();
    setup.value = in.u16();
    setup.index = in.u16();
    setup.length = in.u16();
    out = in.rest();
    if (!setup.is_in()) out_bytes = out.size();
  } else if (op == wire::Op::bulk_out || op == wire::Op::hid_write) {
    if (op == wire::Op::bulk_out) in.u8();
    out = in.rest();
    out_bytes = out.size();
  }
  if (!in.ok()) {
    reply(client, wire::Status::error, {});
    return;
  }
  faults_.count_out_bytes(out_bytes);
  if (out_bytes && faults_.fire("disconnect")) {
    // Power cycle: the request is lost, the camera drops off the bus and comes back fresh.
    build_model(record_.mode);
    reenumerate();
    return;
  }

  Reply r;
  std::vector<uint8_t> data;
  wire::Status status = wire::Status::ok;
  uint64_t bus_bytes = out_bytes;
  switch (op) {
    case wire::Op::control: {
      if (!usb_) { status = wire::Status::stall; break; }
      if (auto std_reply = standard_request(setup)) {
        data = std::move(*std_reply);
      } else {
        r = usb_->control(setup, out);
        if (r.stall) status = wire::Status::stall;
        data = std::move(r.data);
        if (setup.is_in() && data.size() > setup.length) data.resize(setup.length);
      }
      bus_bytes += data.size();
      break;
    }
    case wire::Op::bulk_out:
      if (!usb_) { status = wire::Status::stall; break; }
      r = usb_->bulk_out(frame.body.empty() ? 0 : frame.body[0], out);
      if (r.stall) status = wire::Status::stall;
      break;
    case wire::Op::bulk_in: {
      if (!usb_) { status = wire::Status::stall; break; }
      uint8_t ep = in.u8();
      uint32_t max = in.u32();
      r = usb_->bulk_in(ep, max);
      if (r.stall) status = wire::Status::stall;
      data = std::move(r.data);
      if (data.size() > max) data.resize(max);
      bus_bytes += data.size();
      break;
    }
    case wire::Op::set_alt: {
      uint8_t itf = in.u8();
      uint8_t alt = in.u8();
      if (usb_) usb_->set_alt_setting(itf, alt);
      break;
    }
    case wire::Op::reset:
      if (usb_) usb_->bus_reset();
      break;
    case wire::Op::hid_write:
      if (!hid_) { status = wire::Status::stall; break; }
      hid_->write(out);
      break;
    case wire::Op::hid_read: {
      if (!hid_) { status = wire::Status::stall; break; }
      uint32_t timeout = in.u32();
      if (auto report = hid_->read(transport::Millis(timeout))) data = std::move(*report);
      bus_bytes += data.size();
      break;
    }
    default:
      status = wire::Status::error;
  }

  std::chrono::nanoseconds busy{0};
  if (usb_) busy += usb_->take_busy_time();
  if (hid_) busy += hid_->take_busy_time();
  busy += memories_->take_busy_time();
  auto bus = control_transfer_time(options_.board.usb_speed, bus_bytes);
  bus_time_ += bus;
  const bool queued_report = report_read && !data.empty();
  const auto transferred_at = (queued_report ? start : std::max(arrived, start)) + scaled(bus);
  const auto reply_at = std::max(arrived, transferred_at);
  if (queued_report) note_report_read(arrived);
  pace(reply_at);
  reply(client, status, data);
  free_at_ = transferred_at + scaled(busy);
  check_identity();
}

bool CameraHost::handle(Client& client, const wire::Frame& frame) {
  auto op = static_cast<wire::Op>(frame.code);
  requests_[op_name(op)]++;
  switch (op) {
    case wire::Op::hello: {
      wire::Reader in(frame.body);
      uint64_t gen = in.u64();
      if (gen == record_.generation && model_present_) {
        client.attached = true;
        client.generation = gen;
        reply(client, wire::Status::ok);
        return true;
      }
      reply(client, wire::Status::gone);
      return false;
    }
    case wire::Op::stats: {
      std::string text = stats().dump();
      reply(client, wire::Status::ok, std::span(reinterpret_cast<const uint8_t*>(text.data()), text.size()));
      return true;
    }
    case wire::Op::fault: {
      std::string spec(frame.body.begin(), frame.body.end());
      try {
        faults_.arm(spec);
        reply(client, wire::Status::ok);
      } catch (const Error& e) {
        std::string msg = e.what();
        reply(client, wire::Status::error, std::span(reinterpret_cast<const uint8_t*>(msg.data()), msg.size()));
      }
      return true;
    }
    case wire::Op::shutdown:
      reply(client, wire::Status::ok);
      stop_ = true;
      return false;
    default:
      break;
  }
  if (!client.attached || client.generation != record_.generation) {
    reply(client, wire::Status::gone);
    return false;
  }
  device_request(client, frame);
  return client.fd >= 0;
}

void CameraHost::serve() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
  signal(SIGPIPE, SIG_IGN);
  while (!stop_ && !g_stop_signal) {
    std::vector<pollfd> fds;
    fds.push_back({listen_fd_, POLLIN, 0});
    for (const auto& c : clients_) fds.push_back({c.fd, POLLIN, 0});
    const size_t client_fds_end = fds.size();
    if (probe_) probe_->poll_fds(fds);
    // No pending tick is "never" rather than an empty optional: GCC 12 at -Os reads a
    // ternary-built optional's payload as maybe-uninitialized.
    constexpr auto never = std::chrono::steady_clock::time_point::max();
    auto tick_at = never;
    if (usb_) tick_at = usb_->next_tick().value_or(never);
    else if (hid_) tick_at = hid_->next_tick().value_or(never);
    int timeout = -1;
    if (tick_at != never)
      timeout = static_cast<int>(std::max<int64_t>(
          0, std::chrono::ceil<std::chrono::milliseconds>(tick_at - std::chrono::steady_clock::now()).count()));
    int n = ::poll(fds.data(), fds.size(), timeout);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (tick_at != never && std::chrono::steady_clock::now() >= tick_at) {
      if (usb_) usb_->tick();
      else if (hid_) hid_->tick();
      check_identity();
      if (stop_) break;
      continue;
    }
    if (fds[0].revents & POLLIN) {
      int fd = platform::os::accept_cloexec(listen_fd_);
      if (fd >= 0) clients_.push_back({fd, false, 0});
    }
    // Serve the clients that were polled (new ones come next round). Indices stay valid because
    // closed clients are only marked here and swept below; a re-enumeration sweeps attached ones.
    if (probe_) probe_->serve_ready(fds);
    std::vector<int> ready;
    for (size_t i = 1; i < client_fds_end; ++i)
      if (fds[i].revents & (POLLIN | POLLHUP | POLLERR)) ready.push_back(fds[i].fd);
    for (int fd : ready) {
      auto it = std::find_if(clients_.begin(), clients_.end(), [&](const Client& c) { return c.fd == fd; });
      if (it == clients_.end()) continue;
      std::optional<wire::Frame> frame;
      try {
        frame = wire::recv_frame(fd, std::chrono::milliseconds(5000));
      } catch (const Error&) {
        frame.reset();
      }
      bool keep = false;
      if (frame) {
        size_t index = static_cast<size_t>(it - clients_.begin());
        keep = handle(clients_[index], *frame);
        it = std::find_if(clients_.begin(), clients_.end(), [&](const Client& c) { return c.fd == fd; });
      }
      if (it != clients_.end() && (!keep || it->fd < 0)) {
        if (it->fd >= 0) ::close(it->fd);
        clients_.erase(it);
      }
      if (stop_) break;
    }
  }
}

nlohmann::json CameraHost::stats() const {
  nlohmann::json mem = memories_->stats();
  uint64_t erases = 0, programmed = 0, bits = 0;
  int64_t erase_ns = 0, program_ns = 0;
  for (const auto& [name, m] : mem.items()) {
    erases += m["erases"].get<uint64_t>();
    programmed += m["bytes_programmed"].get<uint64_t>();
    bits += m["bits_not_erased"].get<uint64_t>();
    erase_ns += m["erase_ns"].get<int64_t>();
    program_ns += m["program_ns"].get<int64_t>();
  }
  nlohmann::json model = usb_ ? usb_->stats() : hid_ ? hid_->stats() : nlohmann::json::object();
  const int64_t swd_ns = probe_ ? probe_->swd_time().count() : 0;
  nlohmann::json j = {{"serial", record_.serial},
          {"target", record_.target},
          {"mode", record_.mode},
          {"generation", record_.generation},
          {"reenumerations", reenumerations_},
          {"erases", erases},
          {"bytes_programmed", programmed},
          {"bits_not_erased", bits},
          {"memories", mem},
          {"model", model},
          {"host_requests", requests_},
          {"faults", faults_.stats()},
          {"time", {{"bus_ns", bus_time_.count()},
                    {"erase_ns", erase_ns},
                    {"program_ns", program_ns},
                    {"swd_ns", swd_ns},
                    {"floor_ns", bus_time_.count() + swd_ns + erase_ns + program_ns},
                    {"time_scale", options_.time_scale}}}};
  if (probe_) j["probe"] = probe_->stats();
  return j;
}

}  // namespace omv::sim
