// Many cameras at once, on virtual OpenMV Cam H7s started running their firmware:
//  (a) `omv flash --all` on 8 cameras against the same on 1 camera (same image, same time
//      scale, side by side in this run): the parallel ratio, goal <= 1.25;
//  (b) per camera, from the SYS_BOOT packet reaching the camera to the first DFU request reaching
//      its bootloader, against the modelled re-enumeration time: the overhead omv adds by
//      waiting (goal <= 50 ms), read from each camera's timeline.log.
// Usage: fleet_bench [TIME_SCALE (default 4)] [CAMERAS (default 8)]. Nothing here is pass/fail.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "omv_run.h"

namespace {

namespace fs = std::filesystem;

int omv_exit(const std::vector<std::string>& args) { return omv::bench::run_omv(args).exit_code; }

struct Round {
  double seconds = 0;
  int exit_code = -1;
  std::vector<double> boot_to_dfu_ms;  // per camera
};

Round flash_round(const fs::path& root, const std::string& name, int cameras, const std::string& scale,
                  const fs::path& image) {
  const fs::path bus = root / name;
  fs::create_directories(bus);
  for (int i = 0; i < cameras; ++i) {
    const std::string serial = "FLEET" + std::to_string(i);
    if (omv_exit({"sim", "start", "OPENMV4", "--bus", bus.string(), "--serial", serial, "--app", "--time-scale", scale}) != 0) {
      std::fprintf(stderr, "cannot start virtual camera %s\n", serial.c_str());
      std::exit(1);
    }
  }
  Round r;
  const auto flash = omv::bench::run_omv(
      {"flash", "OPENMV4", "--all", "--sim", bus.string(), "--firmware", image.string(), "--no-skip"});
  r.exit_code = flash.exit_code;
  r.seconds = flash.wall_s;
  for (int i = 0; i < cameras; ++i) {
    std::ifstream log(bus / ("FLEET" + std::to_string(i)) / "timeline.log");
    std::string line;
    long long exit_ns = 0, dfu_ns = 0;
    while (std::getline(log, line)) {
      std::istringstream in(line);
      long long ns = 0;
      std::string what;
      in >> ns >> what;
      if (what == "app_exit" && !exit_ns) exit_ns = ns;
      if (what == "first_dfu_request" && exit_ns && !dfu_ns) dfu_ns = ns;
    }
    if (exit_ns && dfu_ns) r.boot_to_dfu_ms.push_back(static_cast<double>(dfu_ns - exit_ns) / 1e6);
  }
  omv_exit({"sim", "stop", "--bus", bus.string()});
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const std::string scale = argc > 1 ? argv[1] : "4";
  const int cameras = argc > 2 ? std::atoi(argv[2]) : 8;
  const double reenumeration_ms = 300.0 / std::atof(scale.c_str());  // the sim's default, scaled
  const fs::path root = fs::temp_directory_path() / ("omv-fleet-bench-" + std::to_string(getpid()));
  fs::create_directories(root);
  std::mt19937 rng(42);
  std::string data(512 * 1024, '\0');
  for (auto& c : data) c = static_cast<char>(rng() & 0xFF);
  const fs::path image = root / "firmware.bin";
  std::ofstream(image, std::ios::binary) << data;

  std::printf("fleet_bench: OPENMV4, 512 KiB firmware, time scale %s, %d cameras vs 1\n", scale.c_str(), cameras);
  std::fflush(stdout);  // before the cameras are forked, or each child repeats the buffered line
  const Round one = flash_round(root, "one", 1, scale, image);
  const Round many = flash_round(root, "many", cameras, scale, image);
  std::printf("  1 camera : %.2f s (exit %d)\n", one.seconds, one.exit_code);
  std::printf("  %d cameras: %.2f s (exit %d)\n", cameras, many.seconds, many.exit_code);
  std::printf("  parallel ratio %d/1: %.2f (goal <= 1.25)\n", cameras, many.seconds / one.seconds);

  std::vector<double> all = one.boot_to_dfu_ms;
  all.insert(all.end(), many.boot_to_dfu_ms.begin(), many.boot_to_dfu_ms.end());
  if (!all.empty()) {
    std::sort(all.begin(), all.end());
    const double median = all[all.size() / 2], worst = all.back();
    std::printf("  SYS_BOOT -> first DFU request: median %.1f ms, worst %.1f ms over %zu resets; "
                "re-enumeration modelled at %.1f ms\n",
                median, worst, all.size(), reenumeration_ms);
    std::printf("  overhead beyond re-enumeration: median %.1f ms, worst %.1f ms (goal <= 50 ms)\n",
                median - reenumeration_ms, worst - reenumeration_ms);
  } else {
    std::printf("  SYS_BOOT -> first DFU request: no timeline recorded\n");
  }
  std::error_code ec;
  fs::remove_all(root, ec);
  return (one.exit_code == 0 && many.exit_code == 0) ? 0 : 1;
}
