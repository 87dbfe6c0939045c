// Watch mode on a production line: `omv flash OPENMV4 --watch --max N` running while N virtual
// OpenMV Cam H7s are plugged in (started, running their firmware) 0.5 s apart at real speed.
// The goal: the whole session takes at most 1.15x (the last arrival + one camera's flash time),
// i.e. cameras are taken on as they arrive and flashed in parallel with those in progress.
// One camera's flash time is measured first, alone, with `omv flash` (same image, same speed).
// Usage: watch_bench [CAMERAS (default 8)] [GAP_S (default 0.5)] [TIME_SCALE (default 1)].
// Nothing here is pass/fail: it prints the ratio and whether the goal was met.
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "omv_run.h"

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

void start_camera(const fs::path& bus, const std::string& serial, const std::string& scale) {
  const auto r = omv::bench::run_omv(
      {"sim", "start", "OPENMV4", "--bus", bus.string(), "--serial", serial, "--app", "--time-scale", scale});
  omv::bench::must(r, "omv sim start");
}

pid_t spawn_omv(const std::vector<std::string>& args) {
  std::fflush(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    if (!std::freopen("/dev/null", "w", stdout) || !std::freopen("/dev/null", "w", stderr)) _exit(126);
    std::vector<char*> argv{const_cast<char*>(OMV_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(OMV_BINARY, argv.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

int main(int argc, char** argv) {
  const int cameras = argc > 1 ? std::atoi(argv[1]) : 8;
  const double gap_s = argc > 2 ? std::atof(argv[2]) : 0.5;
  const std::string scale = argc > 3 ? argv[3] : "1";
  const fs::path root = fs::temp_directory_path() / ("omv-watch-bench-" + std::to_string(getpid()));
  fs::create_directories(root);
  std::mt19937 rng(42);
  std::string data(512 * 1024, '\0');
  for (auto& c : data) c = static_cast<char>(rng() & 0xFF);
  const fs::path image = root / "firmware.bin";
  std::ofstream(image, std::ios::binary) << data;
  std::printf("watch_bench: OPENMV4, 512 KiB firmware, time scale %s, %d cameras arriving %.2f s apart\n",
              scale.c_str(), cameras, gap_s);
  std::fflush(stdout);  // before the cameras are forked, or each child repeats the buffered line

  // One camera alone, from running its firmware to flashed and back: the flash time.
  const fs::path one_bus = root / "one";
  fs::create_directories(one_bus);
  start_camera(one_bus, "ONE", scale);
  const auto one = omv::bench::run_omv(
      {"flash", "OPENMV4", "--sim", one_bus.string(), "--firmware", image.string(), "--no-skip"});
  omv::bench::must(one, "omv flash (one camera)");
  omv::bench::run_omv({"sim", "stop", "--bus", one_bus.string()});

  // The watch session: started first, then the cameras plugged in one by one.
  const fs::path bus = root / "line";
  fs::create_directories(bus);
  const auto t0 = Clock::now();
  const pid_t watch = spawn_omv({"flash", "OPENMV4", "--watch", "--sim", bus.string(), "--firmware", image.string(),
                                 "--no-skip", "--max", std::to_string(cameras), "--json"});
  double last_arrival_s = 0;
  for (int i = 0; i < cameras; ++i) {
    const auto due = t0 + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(gap_s * i));
    std::this_thread::sleep_until(due);
    start_camera(bus, "LINE" + std::to_string(i), scale);
    last_arrival_s = std::chrono::duration<double>(Clock::now() - t0).count();
  }
  int status = 0;
  waitpid(watch, &status, 0);
  const double total_s = std::chrono::duration<double>(Clock::now() - t0).count();
  const int exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  omv::bench::run_omv({"sim", "stop", "--bus", bus.string()});

  const double bound = last_arrival_s + one.wall_s;
  const double ratio = total_s / bound;
  std::printf("  one camera's flash: %.2f s\n", one.wall_s);
  std::printf("  last arrival      : %.2f s after the watch started\n", last_arrival_s);
  std::printf("  watch session     : %.2f s (exit %d)\n", total_s, exit_code);
  std::printf("  ratio total / (last arrival + one flash): %.3f (goal <= 1.15): %s\n", ratio,
              ratio <= 1.15 ? "met" : "NOT met");
  std::error_code ec;
  fs::remove_all(root, ec);
  return exit_code == 0 ? 0 : 1;
}
