#pragma once
// What the SDK and build end-to-end tests share: a real HTTP server process on 127.0.0.1
// (tests/support/sdk_http_server.py), SDK trees and tarballs generated at test time in the real
// layout, and a way to start omv in the background (to kill it).
#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "sdk/sdk_location.h"
#include "sdk/sha256.h"
#include "support/run.h"

namespace omv::test {

namespace sdkfs = std::filesystem;

inline std::string python3() {
  return sdkfs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

inline pid_t spawn(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
                   const sdkfs::path& out_file) {
  pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    setpgid(0, 0);
    int fd = ::open(out_file.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
      dup2(fd, 1);
      dup2(fd, 2);
      close(fd);
    }
    int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) dup2(null, 0);
    for (const auto& [k, v] : env) setenv(k.c_str(), v.c_str(), 1);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  return pid;
}

// The test server: one process per test, killed when the object goes away.
class HttpServer {
 public:
  HttpServer(const sdkfs::path& root, const sdkfs::path& work, std::vector<std::string> extra = {}) : work_(work) {
    sdkfs::create_directories(work);
    sdkfs::path port_file = work / "port";
    log_ = work / "requests.log";
    std::vector<std::string> argv{python3(), std::string(OMV_SOURCE_DIR) + "/tests/support/sdk_http_server.py",
                                  "--root", root.string(), "--port-file", port_file.string(), "--log", log_.string()};
    argv.insert(argv.end(), extra.begin(), extra.end());
    pid_ = spawn(argv, {}, work / "server.out");
    for (int i = 0; i < 400 && !sdkfs::exists(port_file); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
    if (!sdkfs::exists(port_file)) throw std::runtime_error("test HTTP server did not start: " + read_file(work / "server.out"));
    port_ = std::stoi(read_file(port_file));
    tls_ = std::find(extra.begin(), extra.end(), "--tls") != extra.end();
  }
  ~HttpServer() {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  int port() const { return port_; }
  std::string url(const std::string& path = "") const {
    return std::string(tls_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_) + path;
  }
  std::vector<nlohmann::json> requests() const {
    std::vector<nlohmann::json> out;
    std::ifstream in(log_);
    for (std::string line; std::getline(in, line);)
      if (!line.empty()) out.push_back(nlohmann::json::parse(line));
    return out;
  }

 private:
  sdkfs::path work_, log_;
  pid_t pid_ = -1;
  int port_ = 0;
  bool tls_ = false;
};

inline void write_executable(const sdkfs::path& path, const std::string& text) {
  write_file(path, text);
  sdkfs::permissions(path, sdkfs::perms::owner_all | sdkfs::perms::group_read | sdkfs::perms::group_exec |
                               sdkfs::perms::others_read | sdkfs::perms::others_exec);
}

// A folder in the real SDK layout: sdk.version, gcc/bin whose tools run Debian's arm-none-eabi
// toolchain, the other bin folders, and `payload_bytes` of data files (compressible unless random).
inline sdkfs::path make_sdk_tree(const sdkfs::path& parent, const std::string& version, size_t payload_bytes = 64 * 1024,
                                 bool random_payload = false) {
  auto host = sdk::current_host();
  sdkfs::path top = parent / ("openmv-sdk-" + version + "-" + host.os + "-" + host.arch);
  write_file(top / "sdk.version", version + "\n");
  for (const char* tool : {"gcc", "g++", "objcopy", "size", "gdb"}) {
    std::string real = std::string("/usr/bin/arm-none-eabi-") + tool;
    if (std::string(tool) == "gdb") real = "/usr/bin/gdb-multiarch";
    write_executable(top / "gcc/bin" / (std::string("arm-none-eabi-") + tool), "#!/bin/sh\nexec " + real + " \"$@\"\n");
  }
  for (const char* dir : {"llvm/bin", "cmake/bin", "python/bin", "stcubeprog/bin", "bin", "make"})
    write_file(top / dir / "README", std::string("part of the test SDK: ") + dir + "\n");
  sdkfs::create_directory_symlink("gcc/bin", top / "toolchain");  // an internal link is fine
  std::string block;
  uint32_t seed = 12345;
  size_t left = payload_bytes;
  int n = 0;
  while (left > 0) {
    size_t size = std::min<size_t>(left, 256 * 1024);
    block.resize(size);
    for (size_t i = 0; i < size; ++i) {
      seed = seed * 1103515245u + 12345u;
      block[i] = random_payload ? static_cast<char>(seed >> 16) : static_cast<char>("SDK payload\n"[i % 12]);
    }
    write_file(top / "lib" / ("data" + std::to_string(n++) + ".bin"), block);
    left -= size;
  }
  return top;
}

inline std::string tarball_name(const std::string& version) { return sdk::tarball_name(version, sdk::current_host()); }

// tar -cJf <out> -C <parent> <top>; writes <out>.sha256 the way the SDK's packaging does.
inline void make_tarball(const sdkfs::path& top, const sdkfs::path& out) {
  sdkfs::create_directories(out.parent_path());
  auto r = run({"tar", "-cJf", out.string(), "-C", top.parent_path().string(), top.filename().string()});
  if (r.exit_code != 0) throw std::runtime_error("tar failed: " + r.err);
  write_file(out.string() + ".sha256", sdk::sha256_hex(read_file(out)) + "  " + out.filename().string() + "\n");
}

struct TarEntry {
  std::string name;
  std::string content;       // regular file
  std::string symlink;       // non-empty: a symbolic link to this
  std::string hardlink;      // non-empty: a hard link to this archive path
  bool directory = false;
};

// A .tar.xz with exactly these entries (names as given: absolute, `..`, links...).
inline void make_raw_tarball(const std::vector<TarEntry>& entries, const sdkfs::path& out) {
  sdkfs::create_directories(out.parent_path());
  archive* a = archive_write_new();
  archive_write_add_filter_xz(a);
  archive_write_set_format_pax_restricted(a);
  if (archive_write_open_filename(a, out.c_str()) != ARCHIVE_OK) throw std::runtime_error("cannot write tarball");
  for (const auto& e : entries) {
    archive_entry* entry = archive_entry_new();
    archive_entry_set_pathname(entry, e.name.c_str());
    archive_entry_set_mtime(entry, 1700000000, 0);
    if (e.directory) {
      archive_entry_set_filetype(entry, AE_IFDIR);
      archive_entry_set_perm(entry, 0755);
    } else if (!e.symlink.empty()) {
      archive_entry_set_filetype(entry, AE_IFLNK);
      archive_entry_set_symlink(entry, e.symlink.c_str());
      archive_entry_set_perm(entry, 0777);
    } else if (!e.hardlink.empty()) {
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_set_hardlink(entry, e.hardlink.c_str());
      archive_entry_set_perm(entry, 0644);
    } else {
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_set_perm(entry, 0644);
      archive_entry_set_size(entry, static_cast<la_int64_t>(e.content.size()));
    }
    archive_write_header(a, entry);
    if (!e.content.empty()) archive_write_data(a, e.content.data(), e.content.size());
    archive_entry_free(entry);
  }
  archive_write_close(a);
  archive_write_free(a);
  write_file(out.string() + ".sha256", sdk::sha256_hex(read_file(out)) + "  " + out.filename().string() + "\n");
}

// Anything that could be taken for an installed SDK in `parent`: a folder named openmv-sdk-*
// (hidden work folders excluded) or any sdk.version stamp outside hidden folders.
inline std::vector<std::string> installed_looking(const sdkfs::path& parent) {
  std::vector<std::string> found;
  std::error_code ec;
  for (sdkfs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
    auto name = it->path().filename().string();
    if (name.rfind("openmv-sdk-", 0) == 0) found.push_back(name);
  }
  return found;
}

// Hidden work folders an install left behind.
inline std::vector<std::string> work_folders(const sdkfs::path& parent) {
  std::vector<std::string> found;
  std::error_code ec;
  for (sdkfs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
    auto name = it->path().filename().string();
    if (name.find(".tmp-") != std::string::npos && it->is_directory()) found.push_back(name);
  }
  return found;
}

}  // namespace omv::test
