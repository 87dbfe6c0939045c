// Conversions must be I/O-bound: each omv conversion of 16 MiB is timed against `cp` of the file
// it writes, side by side (alternating runs) in one process, and the ratio printed.
//   build/image_bench [RUNS]
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

extern char** environ;

namespace {

namespace fs = std::filesystem;

double run_ms(const std::vector<std::string>& argv) {
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawnp(&pid, args[0], &actions, nullptr, args.data(), environ) != 0) {
    std::fprintf(stderr, "cannot run %s\n", args[0]);
    std::exit(1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  const auto end = std::chrono::steady_clock::now();
  posix_spawn_file_actions_destroy(&actions);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "%s failed (status %d)\n", args[0], status);
    std::exit(1);
  }
  return std::chrono::duration<double, std::milli>(end - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

void write_random(const fs::path& p, size_t size, uint32_t seed) {
  std::vector<uint32_t> words(size / 4);
  uint32_t x = seed * 2654435761u + 1;
  for (auto& w : words) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    w = x;
  }
  std::ofstream f(p, std::ios::binary);
  f.write(reinterpret_cast<const char*>(words.data()), static_cast<std::streamsize>(words.size() * 4));
}

struct Case {
  std::string name;
  std::vector<std::string> omv;
  fs::path output;
};

}  // namespace

int main(int argc, char** argv) {
  const int runs = argc > 1 ? std::max(3, std::atoi(argv[1])) : 9;
  const fs::path dir = fs::temp_directory_path() / ("omv-image-bench-" + std::to_string(getpid()));
  fs::create_directories(dir / "folder");
  const size_t mib = 1024 * 1024;
  write_random(dir / "firmware.bin", 16 * mib, 1);
  for (int i = 0; i < 16; ++i) write_random(dir / "folder" / ("model" + std::to_string(i) + ".tflite"), mib - 64 * (i + 1), 10 + static_cast<uint32_t>(i));
  write_random(dir / "folder" / "labels.txt", 1024, 99);

  const std::string omv = OMV_BINARY;
  const std::vector<Case> cases = {
      {"uf2 convert (16 MiB bin)",
       {omv, "uf2", "convert", (dir / "firmware.bin").string(), "--base", "0x10000000", "-o", (dir / "firmware.uf2").string()},
       dir / "firmware.uf2"},
      {"dfu pack (16 MiB bin)",
       {omv, "dfu", "pack", "-o", (dir / "firmware.dfu").string(), "0x08000000:" + (dir / "firmware.bin").string()},
       dir / "firmware.dfu"},
      {"romfs build (16 MiB folder)",
       {omv, "romfs", "build", (dir / "folder").string(), "--align", "tflite=32", "-o", (dir / "romfs0.img").string()},
       dir / "romfs0.img"},
  };

  std::printf("%-30s %12s %12s %10s %8s   (median of %d runs each, alternating)\n", "conversion", "omv ms", "cp ms", "output", "ratio", runs);
  bool all_ok = true;
  for (const auto& c : cases) {
    run_ms(c.omv);  // warm the page cache and the binary
    std::vector<double> t_omv, t_cp;
    for (int i = 0; i < runs; ++i) {
      t_omv.push_back(run_ms(c.omv));
      t_cp.push_back(run_ms({"cp", c.output.string(), (dir / "copy.out").string()}));
    }
    const double a = median(t_omv), b = median(t_cp), ratio = a / b;
    all_ok = all_ok && ratio <= 3.0;
    std::printf("%-30s %12.1f %12.1f %7.1f MiB %7.2fx\n", c.name.c_str(), a, b,
                static_cast<double>(fs::file_size(c.output)) / static_cast<double>(mib), ratio);
  }
  std::printf("target: every ratio <= 3x: %s\n", all_ok ? "met" : "NOT met");
  fs::remove_all(dir);
  return 0;
}
