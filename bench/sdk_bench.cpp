// omv sdk install of a ~200 MiB SDK tarball from a local HTTP server, measured side by side with
// `xz -dc FILE | tar -x` of the same file alone and with the Makefile's sequence (download to a
// file, then sha256sum, then tar). Prints medians and ratios; never asserts on time.
//
//   build/sdk_bench [ROUNDS]       (OMV_BENCH_CACHE=DIR keeps the generated tarball; default /tmp/omv-bench-sdk)
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "sdk/sdk_location.h"
#include "sdk/sha256.h"

namespace fs = std::filesystem;

namespace {

const char* version = "9.9.9";

int sh(const std::string& cmd) {
  int rc = std::system(cmd.c_str());
  return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

std::string quote(const fs::path& p) { return "'" + p.string() + "'"; }

double seconds(const std::string& cmd) {
  auto t0 = std::chrono::steady_clock::now();
  int rc = sh(cmd);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (rc != 0) {
    std::fprintf(stderr, "bench: command failed (%d): %s\n", rc, cmd.c_str());
    std::exit(1);
  }
  return s;
}

std::string read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// The real Arm toolchain from Debian (what an SDK mostly is), packed like the SDK, padded with
// incompressible data to about 200 MiB (bench/make_sdk_tarball.py).
fs::path make_tarball(const fs::path& cache, const fs::path& source_dir) {
  auto host = omv::sdk::current_host();
  const std::string top = "openmv-sdk-" + std::string(version) + "-" + host.os + "-" + host.arch;
  fs::path tarball = cache / "sdk" / omv::sdk::tarball_name(version, host);
  if (fs::exists(tarball) && fs::exists(tarball.string() + ".sha256")) return tarball;
  std::fprintf(stderr, "bench: generating %s (one time; kept in %s)\n", tarball.c_str(), cache.c_str());
  fs::create_directories(tarball.parent_path());
  fs::path partial = tarball.string() + ".tmp";
  std::string cmd = "python3 " + quote(source_dir / "bench/make_sdk_tarball.py") + " --out " + quote(partial) + " --top " +
                    top + " --version " + version + " /usr/lib/gcc/arm-none-eabi=gcc/lib/gcc/arm-none-eabi" +
                    " /usr/lib/arm-none-eabi=gcc/arm-none-eabi";
  for (const auto& e : fs::directory_iterator("/usr/bin"))
    if (e.path().filename().string().rfind("arm-none-eabi-", 0) == 0)
      cmd += " " + e.path().string() + "=gcc/bin/" + e.path().filename().string();
  if (sh(cmd) != 0) std::exit(1);
  fs::rename(partial, tarball);
  std::ofstream(tarball.string() + ".sha256") << omv::sdk::sha256_hex(read(tarball)) << "  " << tarball.filename().string()
                                              << "\n";
  return tarball;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int rounds = argc > 1 ? std::atoi(argv[1]) : 3;
  const char* env = std::getenv("OMV_BENCH_CACHE");
  fs::path cache = env && *env ? env : "/tmp/omv-bench-sdk";
  fs::create_directories(cache);
  const fs::path source_dir = fs::path(__FILE__).parent_path().parent_path();
  fs::path tarball = make_tarball(cache, source_dir);
  std::string hash = read(tarball.string() + ".sha256").substr(0, 64);

  fs::path work = cache / "work";
  fs::remove_all(work);
  fs::create_directories(work);
  fs::path server_script = source_dir / "tests/support/sdk_http_server.py";
  std::string python = fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
  pid_t server = fork();
  if (server == 0) {
    execlp(python.c_str(), python.c_str(), server_script.c_str(), "--root", (cache).c_str(), "--port-file",
           (work / "port").c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  for (int i = 0; i < 400 && !fs::exists(work / "port"); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  const std::string base = "http://127.0.0.1:" + read(work / "port") + "/sdk";
  const std::string url = base + "/" + tarball.filename().string();
  const bool have_wget = sh("command -v wget >/dev/null 2>&1") == 0;

  std::vector<double> omv_t, xz_t, make_t;
  for (int r = 0; r < rounds; ++r) {
    fs::path home = work / "home";
    fs::remove_all(home);
    fs::create_directories(home);
    sh("sync");
    omv_t.push_back(seconds("HOME=" + quote(home) + " SDK_DIR= " + std::string(OMV_BINARY) + " sdk install --version " +
                            version + " --base-url " + base + " >/dev/null 2>&1"));
    fs::remove_all(home);

    fs::path dir = work / "xz";
    fs::create_directories(dir);
    sh("sync");
    xz_t.push_back(seconds("xz -dc " + quote(tarball) + " | tar -x -C " + quote(dir)));
    fs::remove_all(dir);

    fs::path sdk = work / "make";
    fs::create_directories(sdk);
    fs::path tmp = work / "download.tmp";
    std::string get = have_wget ? "wget -q -O " + quote(tmp) + " " + url : "curl -sf -o " + quote(tmp) + " " + url;
    sh("sync");
    make_t.push_back(seconds(get + " && echo '" + hash + "  " + tmp.string() + "' | sha256sum -c - >/dev/null && tar " +
                             "--strip-components=1 -xf " + quote(tmp) + " -C " + quote(sdk)));
    fs::remove_all(sdk);
    fs::remove(tmp);
    std::fprintf(stderr, "round %d: omv %.2f s, xz|tar %.2f s, Makefile sequence %.2f s\n", r + 1, omv_t.back(),
                 xz_t.back(), make_t.back());
  }
  kill(server, SIGTERM);
  waitpid(server, nullptr, 0);
  fs::remove_all(work);

  double o = median(omv_t), x = median(xz_t), m = median(make_t);
  std::printf("SDK tarball: %s (%.1f MiB)\n", tarball.filename().c_str(), static_cast<double>(fs::file_size(tarball)) / 1048576.0);
  std::printf("median of %d rounds:\n", rounds);
  std::printf("  omv sdk install (download + SHA-256 + extract, one pass): %.2f s\n", o);
  std::printf("  xz -dc FILE | tar -x (local file, no download or hash):    %.2f s\n", x);
  std::printf("  Makefile sequence (%s, sha256sum, tar):                  %.2f s\n", have_wget ? "wget" : "curl", m);
  std::printf("ratio omv / (xz | tar)         = %.3f\n", o / x);
  std::printf("ratio omv / Makefile sequence  = %.3f\n", o / m);
  return 0;
}
