#pragma once
// Choosing the camera(s) a command acts on: the devices of one board in a mode omv can use,
// narrowed by --serial. Two cameras and no --serial is an error that lists both.
#include <string>
#include <vector>

#include "boards/board.h"
#include "discovery/device.h"

namespace omv::discovery {

// The key that stays the same for one physical camera across its modes: its serial number, or
// its USB socket when the mode reports no serial.
std::string camera_key(const Device& device);
bool same_camera(const Device& a, const Device& b);

// Devices of `board` that are running its firmware or sit in one of its flash modes,
// and (when `serial` is set) carry that serial number.
std::vector<Device> cameras_of(const std::vector<Device>& devices, const boards::Board& board, const std::string& serial);

// Exactly one camera, or an Error: none (no_device, naming what else is attached) or several
// (usage, listing them and suggesting --serial or --all).
Device select_one(const std::vector<Device>& devices, const boards::Board& board, const std::string& serial);
// Every camera of the board (at least one, else the same no_device error).
std::vector<Device> select_all(const std::vector<Device>& devices, const boards::Board& board, const std::string& serial);

}  // namespace omv::discovery
