// omv rtt on the demo firmware under QEMU (MPS2-AN500): QEMU cannot be read while it runs, so
// every poll halts the core, reads and resumes it. From one run of `omv rtt --seconds N`:
//   lines per second captured, and whether any was lost (the frame numbers must be consecutive)
//   the fraction of the time the core was halted at the default poll rate   goal <= 5%
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>
#include <string>
#include <thread>

#include "omv_run.h"

namespace {

namespace fs = std::filesystem;
using omv::bench::must;
using omv::bench::run_omv;

constexpr int kSeconds = 10;

int free_port() {
  return 42000 + static_cast<int>(getpid() % 7000);
}

}  // namespace

int main() {
  std::setvbuf(stdout, nullptr, _IOLBF, 0);
  const fs::path dir = fs::temp_directory_path() / ("omv-rtt-bench-" + std::to_string(getpid()));
  fs::create_directories(dir);
  fs::copy(fs::path(OMV_SOURCE_DIR) / "examples" / "firmware", dir / "firmware", fs::copy_options::recursive);
  fs::remove_all(dir / "firmware" / "build");
  const std::string make = "make -s -C '" + (dir / "firmware").string() + "' TARGET=MPS2_AN500 DEBUG=1 >/dev/null";
  if (std::system(make.c_str()) != 0) {
    std::fprintf(stderr, "building the demo firmware failed\n");
    return 1;
  }
  const fs::path elf = dir / "firmware" / "build" / "MPS2_AN500" / "bin" / "firmware.elf";
  const int port = free_port();
  pid_t qemu = fork();
  if (qemu == 0) {
    const std::string gdb = "tcp:127.0.0.1:" + std::to_string(port), uart = "file:" + (dir / "uart.log").string();
    execlp("qemu-system-arm", "qemu-system-arm", "-M", "mps2-an500", "-nographic", "-monitor", "none", "-S", "-gdb",
           gdb.c_str(), "-serial", uart.c_str(), "-kernel", elf.c_str(), nullptr);
    _exit(127);
  }
  std::this_thread::sleep_for(std::chrono::seconds(1));
  auto r = run_omv({"--json", "rtt", "MPS2_AN500", "--gdb", "127.0.0.1:" + std::to_string(port), "--elf", elf.string(),
                    "--seconds", std::to_string(kSeconds)});
  kill(qemu, SIGKILL);
  waitpid(qemu, nullptr, 0);
  must(r, "omv rtt");

  std::istringstream in(r.out);
  nlohmann::json result;
  const std::regex frame("^frame ([0-9]+): ");
  long first = -1, last = -1, lines = 0, gaps = 0;
  for (std::string line; std::getline(in, line);) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) continue;
    if (j.value("event", "") == "result") result = j["data"];
    if (!j.contains("data") || !j["data"].contains("rtt")) continue;
    std::smatch m;
    const std::string text = j["data"]["rtt"]["text"];
    if (!std::regex_search(text, m, frame)) continue;
    const long n = std::stol(m[1]);
    if (last >= 0 && n != last + 1) gaps++;
    if (first < 0) first = n;
    last = n;
    lines++;
  }
  const double seconds = result.value("seconds", 0.0);
  const double halted = result.value("halted_fraction", 1.0);
  std::printf("omv rtt from the QEMU demo (halt, read, resume per poll), %d s\n", kSeconds);
  std::printf("captured %ld frame lines (frames %ld..%ld) in %.2f s: %.1f lines/s, %ld gap(s): %s\n", lines, first, last,
              seconds, static_cast<double>(lines) / seconds, gaps, gaps == 0 && lines > 0 ? "zero lost" : "LINES LOST");
  std::printf("%lu polls; the core was halted %.2f%% of the time  [goal <= 5%%]  %s\n",
              result.value("polls", uint64_t{0}), halted * 100, halted <= 0.05 ? "met" : "NOT met");
  fs::remove_all(dir);
  return 0;
}
