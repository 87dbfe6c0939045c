#include "debug/camera_image.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <fstream>

#include "core/error.h"
#include "core/text.h"

namespace omv::debug {
namespace fs = std::filesystem;
namespace {

// The target a camera folder's device.json names, if it names one.
std::string camera_target(const fs::path& dir) {
  std::ifstream in(dir / "device.json");
  if (!in) return {};
  auto j = nlohmann::json::parse(in, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("target") || !j["target"].is_string()) return {};
  return j["target"].get<std::string>();
}

std::vector<CameraMemory> memories_in(const boards::Board& board, const fs::path& dir) {
  std::vector<CameraMemory> out;
  std::error_code ec;
  for (const auto& m : board.memories) {
    fs::path file = dir / (m.name + ".bin");
    if (!fs::is_regular_file(file, ec)) continue;
    uint64_t size = std::min<uint64_t>(fs::file_size(file, ec), m.size);
    if (ec) continue;
    out.push_back({m.name, file, m.xip_base.value_or(m.base), size});
  }
  return out;
}

}  // namespace

VirtualCamera find_virtual_camera(const boards::Board& board, const fs::path& bus, const std::string& serial) {
  std::error_code ec;
  if (!fs::is_directory(bus, ec))
    fail(ErrorKind::no_device, fmt::format("sim bus {}: no such folder", bus.string()),
         fmt::format("start a virtual camera first: omv sim start {} --bus {}", board.target, bus.string()));
  std::vector<VirtualCamera> found;
  std::vector<std::string> others;
  for (const auto& entry : fs::directory_iterator(bus, ec)) {
    if (!entry.is_directory()) continue;
    std::string sn = entry.path().filename().string();
    if (!serial.empty() && sn != serial) continue;
    std::string target = camera_target(entry.path());
    if (!target.empty() && !iequals(target, board.target)) {
      others.push_back(fmt::format("{} ({})", sn, target));
      continue;
    }
    auto mems = memories_in(board, entry.path());
    if (mems.empty()) continue;
    found.push_back({sn, entry.path(), std::move(mems)});
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.serial < b.serial; });
  if (found.size() == 1) return found.front();
  if (found.empty()) {
    std::string where = serial.empty() ? fmt::format("on sim bus {}", bus.string())
                                       : fmt::format("with serial {} on sim bus {}", serial, bus.string());
    std::string also = others.empty() ? "" : fmt::format(" (cameras of other boards: {})", join(others, ", "));
    fail(ErrorKind::no_device, fmt::format("no virtual {} camera {}{}", board.target, where, also),
         fmt::format("start one and flash it: omv sim start {0} --bus {1}; omv flash {0} --sim {1} --firmware FILE",
                     board.target, bus.string()));
  }
  std::vector<std::string> serials;
  for (const auto& c : found) serials.push_back(c.serial);
  fail(ErrorKind::no_device,
       fmt::format("{} virtual {} cameras on sim bus {}: {}", found.size(), board.target, bus.string(), join(serials, ", ")),
       "pick one with --serial SN");
}

ImageComparison compare_with_camera(const ElfInfo& elf, const VirtualCamera& camera) {
  ImageComparison result;
  bool all_erased = true;
  bool first = true;
  for (const auto& seg : elf.segments) {
    uint64_t seg_end = seg.paddr + seg.data.size();
    uint64_t covered = 0;
    for (const auto& mem : camera.memories) {
      uint64_t lo = std::max(seg.paddr, mem.cpu_address);
      uint64_t hi = std::min(seg_end, mem.cpu_address + mem.size);
      if (lo >= hi) continue;
      std::ifstream in(mem.file, std::ios::binary);
      if (!in) fail(ErrorKind::io, fmt::format("{}: cannot read", mem.file.string()));
      std::vector<char> bytes(hi - lo);
      in.seekg(static_cast<std::streamoff>(lo - mem.cpu_address));
      in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
      if (static_cast<uint64_t>(in.gcount()) != bytes.size())
        fail(ErrorKind::io, fmt::format("{}: short read at offset {}", mem.file.string(), lo - mem.cpu_address));
      for (uint64_t i = 0; i < bytes.size(); ++i) {
        uint8_t on_camera = static_cast<uint8_t>(bytes[i]);
        if (on_camera != 0xFF) all_erased = false;
        if (on_camera != seg.data[lo - seg.paddr + i]) {
          if (first) {
            result.first_difference = lo + i;
            first = false;
          }
          ++result.differing;
        }
      }
      result.compared += hi - lo;
      covered += hi - lo;
    }
    result.outside += seg.data.size() - std::min<uint64_t>(covered, seg.data.size());
  }
  result.camera_erased = result.compared > 0 && all_erased;
  return result;
}

}  // namespace omv::debug
