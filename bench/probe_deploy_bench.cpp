// omv deploy through the virtual probe of a virtual OPENMV4 (STM32H7, 128 KiB sectors) at 1:1
// timing (flash erase/program from the board data, SWD at the probe's documented speed), a
// 1.6 MiB firmware image as an ELF at the FIRMWARE partition. Ratios from one run:
//   full deploy / the camera's device floor (erase + program + SWD)     target <= 1.05
//   unchanged re-deploy / full deploy                                   target <= 0.05
//   one changed sector / full deploy                                    target <= 0.15
//   omv full deploy / gdb-multiarch `load` to a fresh camera            target <= 1 (not slower)
//   gdb-multiarch `load` of the unchanged ELF / omv unchanged re-deploy target >= 10
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "omv_run.h"

namespace {

namespace fs = std::filesystem;
using omv::bench::must;
using omv::bench::Run;
using omv::bench::run_omv;

constexpr uint64_t kFirmwareAddress = 0x08040000;
constexpr size_t kImageBytes = 1600 * 1024;
constexpr size_t kSector = 128 * 1024;

double seconds_of(const std::vector<std::string>& argv) {
  std::string cmd;
  for (const auto& a : argv) cmd += "'" + a + "' ";
  cmd += ">/dev/null 2>&1";
  const auto t0 = std::chrono::steady_clock::now();
  if (std::system(cmd.c_str()) != 0) {
    std::fprintf(stderr, "failed: %s\n", cmd.c_str());
    std::exit(1);
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

void write_elf(const fs::path& dir, const std::vector<char>& image, const std::string& name) {
  const fs::path bin = dir / (name + ".bin"), raw = dir / (name + ".raw.elf");
  std::ofstream(bin, std::ios::binary).write(image.data(), static_cast<std::streamsize>(image.size()));
  seconds_of({"arm-none-eabi-objcopy", "-I", "binary", "-O", "elf32-littlearm", "-B", "arm", "--rename-section",
              ".data=.text,alloc,load,contents,code", bin.string(), raw.string()});
  seconds_of({"arm-none-eabi-objcopy", "--change-section-address", ".text=" + std::to_string(kFirmwareAddress),
              raw.string(), (dir / (name + ".elf")).string()});
}

struct Camera {
  std::string bus, serial, server;
};

Camera start(const std::string& bus, const std::string& serial) {
  must(run_omv({"sim", "start", "OPENMV4", "--bus", bus, "--serial", serial, "--probe", "--time-scale", "1"}), "sim start");
  std::ifstream in(fs::path(bus) / serial / "probe.json");
  auto j = nlohmann::json::parse(in);
  return {bus, serial, "127.0.0.1:" + std::to_string(j["port"].get<int>())};
}

double floor_s(const Camera& c) {
  auto s = run_omv({"sim", "stats", "--bus", c.bus, "--serial", c.serial, "--json"});
  must(s, "sim stats");
  return nlohmann::json::parse(s.out)["time"]["floor_ns"].get<double>() / 1e9;
}

double deploy(const Camera& c, const fs::path& elf) {
  auto r = run_omv({"deploy", "OPENMV4", "--gdb", c.server, "--elf", elf.string()});
  must(r, "deploy");
  return r.wall_s;
}

double gdb_load(const Camera& c, const fs::path& elf) {
  return seconds_of({"gdb-multiarch", "-q", "-nx", "-batch", "-ex", "target remote " + c.server, "-ex", "load", "-ex",
                     "detach", elf.string()});
}

const char* verdict(bool met) { return met ? "met" : "NOT met"; }

}  // namespace

int main() {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const fs::path dir = fs::temp_directory_path() / ("omv-probe-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);
  const std::string bus = (dir / "bus").string();
  std::vector<char> image(kImageBytes);
  std::mt19937 rng(5);
  for (auto& b : image) b = static_cast<char>(rng() & 0xFF);
  write_elf(dir, image, "full");
  image[5 * kSector + 77] = static_cast<char>(image[5 * kSector + 77] ^ 0x5A);
  write_elf(dir, image, "one_sector");

  const Camera a = start(bus, "PROBEOMV");
  const double floor0 = floor_s(a);
  const double full = deploy(a, dir / "full.elf");
  const double floor = floor_s(a) - floor0;
  const double same = deploy(a, dir / "full.elf");
  const double one = deploy(a, dir / "one_sector.elf");

  const Camera b = start(bus, "PROBEGDB");
  const double gdb_full = gdb_load(b, dir / "full.elf");
  const double gdb_same = gdb_load(b, dir / "full.elf");

  std::printf("virtual OPENMV4 through its virtual probe (openocd), 1.6 MiB image, 1:1 timing\n");
  std::printf("full deploy %.2f s, device floor %.2f s: ratio %.3f  [target <= 1.05]  %s\n", full, floor, full / floor,
              verdict(full / floor <= 1.05));
  std::printf("unchanged re-deploy %.3f s: %.4f of the full deploy  [target <= 0.05]  %s\n", same, same / full,
              verdict(same / full <= 0.05));
  std::printf("one changed 128 KiB sector %.3f s: %.4f of the full deploy  [target <= 0.15]  %s\n", one, one / full,
              verdict(one / full <= 0.15));
  std::printf("gdb-multiarch load: full %.2f s, unchanged %.2f s\n", gdb_full, gdb_same);
  std::printf("omv full / gdb full %.3f  [target <= 1]  %s\n", full / gdb_full, verdict(full <= gdb_full));
  std::printf("gdb unchanged / omv unchanged %.1fx  [target >= 10]  %s\n", gdb_same / same, verdict(gdb_same / same >= 10));
  run_omv({"sim", "stop", "--bus", bus});
  fs::remove_all(dir);
  return 0;
}
