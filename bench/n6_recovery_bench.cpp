// The OpenMV N6's bootloader recovery (boot ROM → ST's OpenBootloader → NOR) on a virtual camera:
//  (a) with device time set to zero (--time-scale 0): what is left of the wall time is omv's own,
//      host-side overhead (plus the sim bus's socket round trips), target < 50 ms in total;
//  (b) at 1:1 timing: the wall time against the device-time floor the camera accounted (erase,
//      program, bus) plus its re-enumeration time (board data, ROM → OpenBootloader).
// Test-made stand-ins for ST's two files; a 200 KiB bootloader.bin. Figures from one run.
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "boards/board_db.h"
#include "flash/stm32_phase_plan.h"
#include "image/stm32_test_images.h"
#include "omv_run.h"

namespace {

using omv::bench::Run;
using omv::bench::must;
using omv::bench::run_omv;


void write(const std::filesystem::path& p, const std::vector<uint8_t>& data) {
  std::ofstream(p, std::ios::binary).write(reinterpret_cast<const char*>(data.data()), static_cast<std::streamsize>(data.size()));
}

struct Outcome {
  Run run;
  double floor_s = 0;
  double command_s = 0;  // the result event's t: seconds since the command started
};

double result_time(const std::string& json_lines) {
  const auto at = json_lines.rfind("\n{\"data\"");
  auto last = nlohmann::json::parse(at == std::string::npos ? json_lines : json_lines.substr(at + 1), nullptr, false);
  return last.is_object() ? last.value("t", 0.0) : 0.0;
}

Outcome recover_once(const std::string& bus, const std::string& serial, const char* scale, const std::filesystem::path& layout) {
  must(run_omv({"sim", "start", "OPENMV_N6", "--bus", bus, "--serial", serial, "--mode", "rom", "--time-scale", scale}),
       "sim start");
  Outcome o;
  o.run = run_omv({"--sim", bus, "--json", "recover", "OPENMV_N6", "--layout", layout.string()});
  must(o.run, "recover");
  o.command_s = result_time(o.run.out);
  auto s = run_omv({"sim", "stats", "--bus", bus, "--serial", serial, "--json"});
  must(s, "sim stats");
  o.floor_s = nlohmann::json::parse(s.out)["time"]["floor_ns"].get<double>() / 1e9;
  run_omv({"sim", "stop", "--bus", bus, "--serial", serial});
  return o;
}

}  // namespace

int main() {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const auto dir = std::filesystem::temp_directory_path() / ("omv-n6-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string bus = (dir / "bus").string();
  write(dir / "ob.stm32", omv::test_data::test_openbl_stm32());
  write(dir / "extfl.bin", omv::test_data::test_extfl_loader());
  write(dir / "bootloader.bin", omv::image::make_stm32_v23(omv::test_data::pattern(200 * 1024 - 0x400, 3), 0x34180401));
  const auto layout = dir / "FlashLayout.tsv";
  std::ofstream(layout) << omv::flash::openmv_n6_layout("ob.stm32", "extfl.bin", "bootloader.bin");
  const auto board = omv::boards::BoardDb::built_in().get("OPENMV_N6");
  const double reenumeration_s = static_cast<double>(board.loader_number("reenumeration_ms").value_or(300)) / 1000.0;

  auto zero = recover_once(bus, "N6ZERO", "0", layout);
  const double host_ms = zero.command_s * 1000.0;
  std::printf("recovery, device time zero: %.1f ms from the command's start to its result (process start excluded; wall "
              "%.1f ms, omv CPU %.1f ms)  [target: host-side < 50 ms]  %s\n",
              host_ms, zero.run.wall_s * 1000.0, zero.run.cpu_s * 1000.0, host_ms < 50 ? "met" : "NOT met");
  auto real = recover_once(bus, "N6REAL", "1", layout);
  const double floor = real.floor_s + reenumeration_s;
  std::printf("recovery at 1:1: wall %.3f s, device floor %.3f s (erase+program+bus %.3f s + re-enumeration %.3f s), "
              "wall/floor %.3f (the camera's busy time and omv's work overlap, so a ratio under 1 is possible)\n",
              real.run.wall_s, floor, real.floor_s, reenumeration_s, real.run.wall_s / floor);
  run_omv({"sim", "stop", "--bus", bus});
  std::filesystem::remove_all(dir);
  return 0;
}
