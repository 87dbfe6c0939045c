// The OpenMV Cam RT1062 over its NXP bootloaders, on a virtual camera at 1:1 timing:
//  (a) a whole recovery from an empty flash (ROM: stage and start the flashloader; FlexSPI; FCB;
//      secure bootloader; firmware; boot fuse; reset) against the device time the camera
//      accounted (erase + program + bus): what is left is omv's own, host-side time, and the
//      target for it is below 50 ms in total;
//  (b) a flash of a 1.5 MiB firmware that differs everywhere ("full") against one that changes a
//      single 256 KiB block of it: the target is a ratio of at most 0.3.
// Figures from one run, side by side; nothing here is a pass/fail test.
#include <signal.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "omv_run.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

using omv::bench::Run;
using omv::bench::must;
using omv::bench::run_omv;


std::string bytes(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  uint32_t x = seed * 2654435761u + 1;
  for (auto& c : s) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x);
  }
  return s;
}

void write(const std::filesystem::path& p, const std::string& data) { std::ofstream(p, std::ios::binary) << data; }

std::string flashloader() {
  std::string img = bytes(0x6000, 7);
  auto put = [&](size_t at, uint32_t v) {
    for (size_t i = 0; i < 4; ++i) img[at + i] = static_cast<char>(v >> (8 * i));
  };
  img[0] = '\xD1', img[1] = 0, img[2] = 0x20, img[3] = 0x41;
  put(4, 0x20002000);
  for (size_t at = 8; at < 32; at += 4) put(at, at == 20 ? 0x20001C00 : 0);
  return img;
}

nlohmann::json stats(const std::string& bus) {
  auto r = run_omv({"sim", "stats", "--bus", bus, "--serial", "RTBENCH", "--json"});
  must(r, "sim stats");
  return nlohmann::json::parse(r.out);
}

double device_s(const nlohmann::json& s) { return s["time"]["floor_ns"].get<double>() / 1e9; }

// Where a recovery's time went, from the `t` of its JSON events: each phase, and the time from
// the jump to the flashloader to the next step (the flashloader coming up and being claimed).
void print_step_times(const std::string& events) {
  std::istringstream lines(events);
  std::string line;
  double begun = 0, jumped = -1;
  while (std::getline(lines, line)) {
    auto e = nlohmann::json::parse(line, nullptr, false);
    if (e.is_discarded() || !e.contains("t")) continue;
    const double t = e["t"].get<double>();
    const std::string kind = e.value("event", ""), message = e.value("message", "");
    if (jumped >= 0 && kind != "progress") {
      std::printf("  %-8s %8.1f ms  (flashloader up and claimed after the jump)\n", "jump", (t - jumped) * 1000);
      jumped = -1;
    }
    if (kind == "phase_begin") begun = t;
    if (kind == "phase_end") std::printf("  %-8s %8.1f ms\n", e.value("phase", "").c_str(), (t - begun) * 1000);
    if (kind == "info" && message.rfind("starting the flashloader", 0) == 0) jumped = t;
  }
}

// The virtual camera is a process of its own: a bench that is interrupted (Ctrl-C, or its reader
// gone: SIGPIPE) stops it rather than leaving it running. Only async-signal-safe calls here.
volatile pid_t camera_pid = 0;

void stop_camera_and_exit(int sig) {
  if (camera_pid > 0) ::kill(camera_pid, SIGTERM);
  ::_exit(128 + sig);
}

void stop_camera_on_signals(const std::filesystem::path& camera_dir) {
  std::ifstream in(camera_dir / "camera.pid");
  long pid = 0;
  if (in >> pid) camera_pid = static_cast<pid_t>(pid);
  for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE}) ::signal(sig, stop_camera_and_exit);
}

}  // namespace

int main() {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);  // a line at a time: the virtual cameras are forked from here
  const auto dir = std::filesystem::temp_directory_path() / ("omv-rt1062-bench-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string bus = (dir / "bus").string();
  const auto fl = dir / "sdphost_flash_loader.bin", sbl = dir / "blhost_flash_loader.bin", fw = dir / "firmware.bin";
  write(fl, flashloader());
  write(sbl, bytes(0x10000, 8));
  const size_t fw_size = 1536 * 1024;
  std::string firmware = bytes(fw_size, 9);
  write(fw, firmware);

  // (a) recovery at 1:1
  must(run_omv({"sim", "start", "OPENMV_RT1060", "--bus", bus, "--serial", "RTBENCH", "--mode", "rom", "--time-scale", "1"}),
       "sim start");
  stop_camera_on_signals(std::filesystem::path(bus) / "RTBENCH");
  // Keep the secure bootloader on the bus after the final reset, for (b).
  write(std::filesystem::path(bus) / "RTBENCH" / "rt1062.json", R"({"sbl_window_ms": 3600000})");
  auto rec = run_omv({"--sim", bus, "--json", "recover", "OPENMV_RT1060", "--flashloader", fl.string(), "--sbl", sbl.string(),
                  "--firmware", fw.string(), "--burn-efuse"});
  must(rec, "recover");
  const auto after_recovery = stats(bus);
  const double rec_device = device_s(after_recovery);
  const double rec_host_ms = (rec.wall_s - rec_device) * 1000.0;
  std::printf("recovery (1:1): wall %.3f s, device %.3f s (erase+program+bus), host-side %.1f ms, omv CPU %.1f ms"
              "  [target: host-side < 50 ms]  %s\n",
              rec.wall_s, rec_device, rec_host_ms, rec.cpu_s * 1000.0, rec_host_ms < 50 ? "met" : "NOT met");
  print_step_times(rec.out);

  // (b) full vs one changed 256 KiB block
  std::string other = bytes(fw_size, 10);
  write(fw, other);
  double d0 = device_s(stats(bus));
  auto full = run_omv({"--sim", bus, "flash", "OPENMV_RT1060", "--firmware", fw.string(), "--no-reset"});
  must(full, "full flash");
  double d1 = device_s(stats(bus));
  other.replace(512 * 1024, 256 * 1024, bytes(256 * 1024, 11));
  write(fw, other);
  auto one = run_omv({"--sim", bus, "flash", "OPENMV_RT1060", "--firmware", fw.string(), "--no-reset"});
  must(one, "one-block flash");
  double d2 = device_s(stats(bus));
  const double ratio = one.wall_s / full.wall_s;
  std::printf("flash 1.5 MiB, all changed (1:1): wall %.2f s (device %.2f s, host-side %.0f ms)\n", full.wall_s, d1 - d0,
              (full.wall_s - (d1 - d0)) * 1000);
  std::printf("flash 1.5 MiB, one 256 KiB block changed: wall %.2f s (device %.2f s, host-side %.0f ms)\n", one.wall_s,
              d2 - d1, (one.wall_s - (d2 - d1)) * 1000);
  std::printf("one-block / full = %.3f  [target: <= 0.3]  %s\n", ratio, ratio <= 0.3 ? "met" : "NOT met");

  run_omv({"sim", "stop", "--bus", bus});
  std::filesystem::remove_all(dir);
  return 0;
}
