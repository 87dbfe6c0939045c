#include "transport/sim_bus.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <sstream>

#include "core/error.h"
#include "core/numbers.h"

namespace omv::sim {
namespace {

std::string to_hex(const std::vector<uint8_t>& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (uint8_t b : bytes) {
    s += digits[b >> 4];
    s += digits[b & 15];
  }
  return s;
}

std::vector<uint8_t> from_hex(const std::string& s) {
  std::vector<uint8_t> out;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i + 1 < s.size(); i += 2) {
    int hi = nibble(s[i]), lo = nibble(s[i + 1]);
    if (hi < 0 || lo < 0) break;
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return out;
}

UsbId id_from(const nlohmann::json& j) { return parse_usb_id(j.get<std::string>()).value_or(UsbId{}); }

}  // namespace

std::filesystem::path camera_dir(const std::filesystem::path& bus, const std::string& serial) { return bus / serial; }
std::filesystem::path socket_path(const std::filesystem::path& dir) { return dir / "usb.sock"; }
std::filesystem::path device_json_path(const std::filesystem::path& dir) { return dir / "device.json"; }
std::filesystem::path log_path(const std::filesystem::path& dir) { return dir / "camera.log"; }
std::filesystem::path pid_path(const std::filesystem::path& dir) { return dir / "camera.pid"; }

std::optional<int> camera_process(const std::filesystem::path& dir) {
  std::ifstream in(pid_path(dir));
  int pid = 0;
  if (!(in >> pid) || pid <= 0) return std::nullopt;
  if (::kill(pid, 0) != 0 && errno == ESRCH) return std::nullopt;
  return pid;
}

std::vector<std::string> camera_processes(const std::filesystem::path& bus) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(bus, ec))
    if (entry.is_directory() && camera_process(entry.path())) out.push_back(entry.path().filename().string());
  std::sort(out.begin(), out.end());
  return out;
}

nlohmann::json usb_info_to_json(const transport::UsbDeviceInfo& info) {
  nlohmann::json itfs = nlohmann::json::array();
  for (const auto& i : info.interfaces) {
    nlohmann::json eps = nlohmann::json::array();
    for (const auto& e : i.endpoints) eps.push_back({{"address", e.address}, {"attributes", e.attributes}, {"max_packet", e.max_packet}});
    itfs.push_back({{"number", i.number}, {"alt", i.alt}, {"class", i.cls}, {"subclass", i.subclass},
                    {"protocol", i.protocol}, {"name", i.name}, {"extra", to_hex(i.extra)}, {"endpoints", eps}});
  }
  return {{"id", format_usb_id(info.id)}, {"bcd_device", info.bcd_device}, {"manufacturer", info.manufacturer},
          {"product", info.product}, {"serial", info.serial}, {"bus_port", info.bus_port},
          {"interfaces", itfs}, {"generation", info.generation}};
}

transport::UsbDeviceInfo usb_info_from_json(const nlohmann::json& j) {
  transport::UsbDeviceInfo info;
  info.id = id_from(j.at("id"));
  info.bcd_device = j.value("bcd_device", uint16_t{0});
  info.manufacturer = j.value("manufacturer", "");
  info.product = j.value("product", "");
  info.serial = j.value("serial", "");
  info.bus_port = j.value("bus_port", "");
  info.generation = j.value("generation", uint64_t{0});
  for (const auto& i : j.value("interfaces", nlohmann::json::array())) {
    transport::UsbInterfaceInfo itf;
    itf.number = i.value("number", uint8_t{0});
    itf.alt = i.value("alt", uint8_t{0});
    itf.cls = i.value("class", uint8_t{0});
    itf.subclass = i.value("subclass", uint8_t{0});
    itf.protocol = i.value("protocol", uint8_t{0});
    itf.name = i.value("name", "");
    itf.extra = from_hex(i.value("extra", ""));
    for (const auto& e : i.value("endpoints", nlohmann::json::array()))
      itf.endpoints.push_back({e.value("address", uint8_t{0}), e.value("attributes", uint8_t{0}), e.value("max_packet", uint16_t{0})});
    info.interfaces.push_back(std::move(itf));
  }
  return info;
}

nlohmann::json hid_info_to_json(const transport::HidDeviceInfo& info) {
  return {{"id", format_usb_id(info.id)}, {"serial", info.serial}, {"manufacturer", info.manufacturer},
          {"product", info.product}, {"bus_port", info.bus_port}};
}

transport::HidDeviceInfo hid_info_from_json(const nlohmann::json& j) {
  transport::HidDeviceInfo info;
  info.id = id_from(j.at("id"));
  info.serial = j.value("serial", "");
  info.manufacturer = j.value("manufacturer", "");
  info.product = j.value("product", "");
  info.bus_port = j.value("bus_port", "");
  return info;
}

std::optional<CameraRecord> read_camera(const std::filesystem::path& dir) {
  std::ifstream in(device_json_path(dir));
  if (!in) return std::nullopt;
  nlohmann::json j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return std::nullopt;
  try {
    CameraRecord r;
    r.serial = j.value("serial", "");
    r.target = j.value("target", "");
    r.mode = j.value("mode", "");
    r.pid = j.value("pid", 0);
    r.generation = j.value("generation", uint64_t{0});
    r.time_scale = j.value("time_scale", 1.0);
    if (j.contains("usb") && j["usb"].is_object()) {
      r.usb = usb_info_from_json(j["usb"]);
      r.usb->generation = r.generation;
    }
    if (j.contains("hid") && j["hid"].is_object()) r.hid = hid_info_from_json(j["hid"]);
    r.dir = dir;
    return r;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

bool camera_alive(const CameraRecord& record) {
  return record.pid > 0 && (::kill(record.pid, 0) == 0 || errno == EPERM);
}

std::vector<CameraRecord> list_cameras(const std::filesystem::path& bus) {
  std::vector<CameraRecord> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(bus, ec)) {
    if (!entry.is_directory()) continue;
    auto r = read_camera(entry.path());
    if (r && camera_alive(*r)) out.push_back(std::move(*r));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.serial < b.serial; });
  return out;
}

void write_camera(const CameraRecord& r) {
  nlohmann::json j = {{"serial", r.serial}, {"target", r.target}, {"mode", r.mode}, {"pid", r.pid},
                      {"generation", r.generation}, {"time_scale", r.time_scale},
                      {"usb", r.usb ? usb_info_to_json(*r.usb) : nlohmann::json(nullptr)},
                      {"hid", r.hid ? hid_info_to_json(*r.hid) : nlohmann::json(nullptr)}};
  auto path = device_json_path(r.dir);
  auto tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    out << j.dump(2) << '\n';
    if (!out) fail(ErrorKind::io, "cannot write " + tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) fail(ErrorKind::io, "cannot write " + path.string() + ": " + ec.message());
}

}  // namespace omv::sim
