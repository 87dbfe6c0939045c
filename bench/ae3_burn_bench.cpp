// Burning an AE3 image set of its real sizes (HP firmware 3 MiB, HE firmware 1.4 MiB, the TOC)
// through the Secure Enclave's ISP of a virtual AE3 at 1:1 timing (the UART at its baud, MRAM
// program time from the board data). From one run:
//   omv deploy / the serial-line floor (bytes on the wire x 10 bits / baud + MRAM time)  target <= 1.05
//   Alif's app-write-mram.py (the real toolkit, if ../shared has it) against the same kind of
//   camera, side by side: omv must not be slower.
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>

#include "omv_run.h"

namespace {

namespace fs = std::filesystem;
using omv::bench::must;
using omv::bench::run_omv;

void write_random(const fs::path& p, size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng() & 0xFF);
  std::ofstream(p, std::ios::binary) << s;
}

std::string images_in(const fs::path& dir) {
  fs::create_directories(dir);
  write_random(dir / "firmware_M55_HP.bin", 3 * 1024 * 1024 + 5, 1);
  write_random(dir / "firmware_M55_HE.bin", 1400 * 1024 + 9, 2);
  write_random(dir / "AppTocPackage.bin", 8192, 3);
  return (dir / "firmware_M55_HP.bin").string() + " 0x80020000 " + (dir / "firmware_M55_HE.bin").string() +
         " 0x80340000 " + (dir / "AppTocPackage.bin").string() + " 0x8057E000";
}

nlohmann::json stats(const std::string& bus) {
  auto s = run_omv({"sim", "stats", "--bus", bus, "--json"});
  must(s, "sim stats");
  return nlohmann::json::parse(s.out);
}

double floor_s(const nlohmann::json& st) {
  return (st["model"].value("line_ns", 0.0) + st["memories"]["mram"].value("program_ns", 0.0)) / 1e9;
}

double seconds_of(const std::string& command) {
  const auto t0 = std::chrono::steady_clock::now();
  if (std::system(command.c_str()) != 0) {
    std::fprintf(stderr, "failed: %s\n", command.c_str());
    std::exit(1);
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main() {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const fs::path dir = fs::temp_directory_path() / ("omv-ae3-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);

  const std::string omv_bus = (dir / "bus-omv").string();
  must(run_omv({"sim", "start", "OPENMV_AE3", "--bus", omv_bus, "--mode", "isp", "--time-scale", "1"}), "sim start");
  std::ofstream(dir / "application_package.ds") << "set semihosting args " << images_in(dir / "omv") << "\ncontinue\n";
  const double floor0 = floor_s(stats(omv_bus));
  auto r = run_omv({"--sim", omv_bus, "deploy", "OPENMV_AE3", "--ds", (dir / "application_package.ds").string()});
  must(r, "omv deploy");
  const double floor = floor_s(stats(omv_bus)) - floor0;
  run_omv({"sim", "stop", "--bus", omv_bus});
  std::printf("virtual AE3 Secure Enclave ISP at 1:1 (921600 baud for the burns), 4.4 MiB in 3 images\n");
  std::printf("omv deploy %.2f s, line + MRAM floor %.2f s: ratio %.3f  [target <= 1.05]  %s\n", r.wall_s, floor,
              r.wall_s / floor, r.wall_s / floor <= 1.05 ? "met" : "NOT met");

  const fs::path toolkit = fs::path(OMV_SOURCE_DIR) / ".." / "shared" / "third_party" / "alif-security-toolkit";
  if (!fs::exists(toolkit / "app-write-mram.py") || std::system("/usr/bin/python3 -c 'import serial' 2>/dev/null") != 0) {
    std::printf("Alif's toolkit (or python3-serial) is not here: no side-by-side run\n");
  } else {
    fs::copy(toolkit, dir / "toolkit", fs::copy_options::recursive);
    auto cfg = nlohmann::json::parse(std::ifstream(dir / "toolkit" / "utils" / "global-cfg.db"));
    cfg["DEVICE"] = {{"Revision", "B4"}, {"Part#", "E3 (AE302F80F55D5AE) - 5.5 MRAM / 13.5 SRAM"}};
    std::ofstream(dir / "toolkit" / "utils" / "global-cfg.db") << cfg.dump(4);
    const std::string alif_bus = (dir / "bus-alif").string();
    must(run_omv({"sim", "start", "OPENMV_AE3", "--bus", alif_bus, "--mode", "isp", "--time-scale", "1"}), "sim start");
    auto cams = run_omv({"sim", "list", "--bus", alif_bus, "--json"});
    const std::string camera = nlohmann::json::parse(cams.out)[0]["dir"];
    const std::string tty = nlohmann::json::parse(std::ifstream(fs::path(camera) / "serial.json"))["tty"];
    const double alif = seconds_of("cd '" + (dir / "toolkit").string() + "' && /usr/bin/python3 app-write-mram.py --port " +
                                   tty + " --pad -i '" + images_in(dir / "alif") + "' >/dev/null 2>&1");
    run_omv({"sim", "stop", "--bus", alif_bus});
    std::printf("app-write-mram.py %.2f s; omv / toolkit %.3f  [omv not slower]  %s\n", alif, r.wall_s / alif,
                r.wall_s <= alif ? "met" : "NOT met");
  }
  fs::remove_all(dir);
  return 0;
}
