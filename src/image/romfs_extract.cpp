#include "image/romfs_extract.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "core/error.h"

namespace omv::image {
namespace {

bool safe_name(const std::string& name) {
  return !name.empty() && name != "." && name != ".." && name.find('/') == std::string::npos &&
         name.find('\0') == std::string::npos;
}

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(Fd&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
  Fd& operator=(Fd&& o) noexcept {
    std::swap(fd_, o.fd_);
    return *this;
  }
  int get() const { return fd_; }

 private:
  int fd_;
};

[[noreturn]] void io_fail(const std::filesystem::path& dir, const std::string& path, const char* what) {
  fail(ErrorKind::io, fmt::format("cannot {} {}: {}", what, (dir / path).string(), std::strerror(errno)));
}

void write_all(int fd, const uint8_t* p, size_t n, const std::filesystem::path& dir, const std::string& path) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) io_fail(dir, path, "write");
    p += w;
    n -= static_cast<size_t>(w);
  }
}

}  // namespace

void check_romfs_names(const Romfs& fs, const std::string& file, const std::filesystem::path& dir) {
  for (const auto& e : fs.entries)
    if (!safe_name(e.name))
      fail(ErrorKind::refused,
           fmt::format("{}: ROMFS entry \"{}\" (record at offset {}) has a name that would escape {}; nothing was extracted",
                       file, printable(e.path), e.record_offset, dir.string()),
           "names must be single path components other than '.' and '..'");
}

ExtractCounts extract_romfs(const ByteView& view, const Romfs& fs, const std::filesystem::path& dir) {
  check_romfs_names(fs, view.source().file, dir);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  Fd root(::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (root.get() < 0) fail(ErrorKind::io, fmt::format("cannot open {}: {}", dir.string(), std::strerror(errno)));

  ExtractCounts counts;
  std::vector<Fd> stack;  // stack[d] = the directory that holds entries of depth d + 1
  for (const auto& e : fs.entries) {
    while (static_cast<int>(stack.size()) > e.depth) stack.pop_back();
    const int parent = stack.empty() ? root.get() : stack.back().get();
    if (e.directory) {
      if (::mkdirat(parent, e.name.c_str(), 0777) != 0 && errno != EEXIST) io_fail(dir, e.path, "create directory");
      Fd d(::openat(parent, e.name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
      if (d.get() < 0) io_fail(dir, e.path, "open directory (is it a symbolic link?)");
      stack.push_back(std::move(d));
      ++counts.directories;
      continue;
    }
    Fd f(::openat(parent, e.name.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666));
    if (f.get() < 0) io_fail(dir, e.path, "create (is it a symbolic link?)");
    write_all(f.get(), view.data().data() + e.data_offset, static_cast<size_t>(e.size), dir, e.path);
    ++counts.files;
    counts.bytes += e.size;
  }
  return counts;
}

}  // namespace omv::image
