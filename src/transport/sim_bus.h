#pragma once
// The sim bus as a folder: BUS/<serial>/ holds one camera's memory files, its device.json
// (current identity, written atomically on every re-enumeration) and its socket. Both the host
// process and the sim transport backend read and write it through these functions.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "transport/hid.h"
#include "transport/usb.h"

namespace omv::sim {

struct CameraRecord {
  std::string serial;
  std::string target;
  std::string mode;                 // bootloader, rom, app, flashloader...
  int pid = 0;                      // the camera process
  uint64_t generation = 0;          // bumped on every re-enumeration
  double time_scale = 1;
  std::optional<transport::UsbDeviceInfo> usb;  // present on the bus as a USB device
  std::optional<transport::HidDeviceInfo> hid;  // present as a HID device
  std::filesystem::path dir;        // BUS/<serial>
};

std::filesystem::path camera_dir(const std::filesystem::path& bus, const std::string& serial);
std::filesystem::path socket_path(const std::filesystem::path& camera_dir);
std::filesystem::path device_json_path(const std::filesystem::path& camera_dir);
std::filesystem::path log_path(const std::filesystem::path& camera_dir);
// The camera process's pid for its whole life, also while it re-enumerates (no device.json then).
std::filesystem::path pid_path(const std::filesystem::path& camera_dir);
std::optional<int> camera_process(const std::filesystem::path& camera_dir);
// Serials of every live camera process on the bus, published or re-enumerating.
std::vector<std::string> camera_processes(const std::filesystem::path& bus);

// Cameras whose process is alive (stale device.json files of dead processes are ignored).
std::vector<CameraRecord> list_cameras(const std::filesystem::path& bus);
std::optional<CameraRecord> read_camera(const std::filesystem::path& camera_dir);
bool camera_alive(const CameraRecord& record);
void write_camera(const CameraRecord& record);  // atomic (temp file + rename)

nlohmann::json usb_info_to_json(const transport::UsbDeviceInfo& info);
transport::UsbDeviceInfo usb_info_from_json(const nlohmann::json& j);
nlohmann::json hid_info_to_json(const transport::HidDeviceInfo& info);
transport::HidDeviceInfo hid_info_from_json(const nlohmann::json& j);

}  // namespace omv::sim
