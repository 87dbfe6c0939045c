// Flashing an OpenMV Cam H7 over its DFU bootloader, on a virtual camera at 1:1 timing:
//  (a) a full flash of a 1.6 MiB firmware against the model's floor (the device time it
//      accounted: erase + program + bus),
//  (b) re-flashing the same image (every sector skipped after comparing) against (a),
//  (c) an image with one changed 128 KiB sector against (a),
// and the host CPU time (user + system of the omv process) per MiB flashed.
// Ratios come from one run, side by side; nothing here is a pass/fail test.
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "omv_run.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

namespace {

using omv::bench::Run;
using omv::bench::must;
using omv::bench::run_omv;

double floor_s(const nlohmann::json& stats) { return stats["time"]["floor_ns"].get<double>() / 1e9; }


}  // namespace

int main() {
  auto dir = std::filesystem::temp_directory_path() / ("omv-dfu-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string bus = (dir / "bus").string();
  const std::string fw = (dir / "firmware.bin").string();
  const size_t size = static_cast<size_t>(1.6 * 1024 * 1024);
  std::vector<char> image(size);
  std::mt19937 rng(42);
  for (auto& c : image) c = static_cast<char>(rng() & 0xFF);
  std::ofstream(fw, std::ios::binary).write(image.data(), static_cast<std::streamsize>(image.size()));

  must(run_omv({"sim", "start", "OPENMV4", "--bus", bus, "--serial", "BENCH", "--time-scale", "1"}), "sim start");
  auto stats = [&] {
    auto r = run_omv({"sim", "stats", "--bus", bus, "--serial", "BENCH", "--json"});
    must(r, "sim stats");
    return nlohmann::json::parse(r.out);
  };
  const std::vector<std::string> flash{"--sim", bus, "flash", "OPENMV4", "--firmware", fw, "--no-reset"};

  auto s0 = stats();
  auto full = run_omv(flash);
  must(full, "full flash");
  auto s1 = stats();
  auto again = run_omv(flash);
  must(again, "re-flash");
  auto s2 = stats();
  image[6 * 128 * 1024 + 777] ^= 0x3C;  // one byte in the seventh sector of the image
  std::ofstream(fw, std::ios::binary).write(image.data(), static_cast<std::streamsize>(image.size()));
  auto one = run_omv(flash);
  must(one, "one changed sector");
  auto s3 = stats();
  run_omv({"sim", "stop", "--bus", bus});
  std::filesystem::remove_all(dir);

  const double floor_full = floor_s(s1) - floor_s(s0);
  const double mib = static_cast<double>(size) / (1024.0 * 1024.0);
  std::printf("virtual OpenMV Cam H7 (OPENMV4) at 1:1 timing, %.2f MiB firmware, %d erases\n", mib,
              s1["erases"].get<int>() - s0["erases"].get<int>());
  std::printf("(a) full flash        %7.2f s   model floor %7.2f s   ratio %.3f (target <= 1.05)\n", full.wall_s,
              floor_full, full.wall_s / floor_full);
  std::printf("(b) re-flash same     %7.2f s   vs (a) %.3f (target <= 0.2)   programmed %llu B\n", again.wall_s,
              again.wall_s / full.wall_s,
              static_cast<unsigned long long>(s2["bytes_programmed"].get<uint64_t>() - s1["bytes_programmed"].get<uint64_t>()));
  std::printf("(c) one sector changed%7.2f s   vs (a) %.3f (target <= 0.3)   erases %d\n", one.wall_s,
              one.wall_s / full.wall_s, s3["erases"].get<int>() - s2["erases"].get<int>());
  std::printf("host CPU (omv, user+sys): full %.3f s = %.1f ms/MiB; re-flash %.1f ms/MiB; one sector %.1f ms/MiB\n",
              full.cpu_s, full.cpu_s * 1000 / mib, again.cpu_s * 1000 / mib, one.cpu_s * 1000 / mib);
  return 0;
}
