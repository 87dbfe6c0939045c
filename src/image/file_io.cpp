#include "image/file_io.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/error.h"

namespace omv::image {
namespace {

[[noreturn]] void io_error(const std::string& what, const std::filesystem::path& path, int err) {
  fail(ErrorKind::io, fmt::format("{} {}: {}", what, path.string(), std::strerror(err)));
}

}  // namespace

std::vector<uint8_t> read_file(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) io_error("cannot open", path, errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    io_error("cannot stat", path, err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    fail(ErrorKind::io, fmt::format("{} is a directory, not a file", path.string()));
  }
  std::vector<uint8_t> data;
  if (S_ISREG(st.st_mode)) data.reserve(static_cast<size_t>(st.st_size));
  uint8_t chunk[65536];
  for (;;) {
    // Regular files are read straight into the vector; pipes and devices through a chunk.
    if (data.capacity() > data.size()) {
      size_t old = data.size();
      data.resize(data.capacity());
      ssize_t n = ::read(fd, data.data() + old, data.size() - old);
      if (n < 0 && errno == EINTR) {
        data.resize(old);
        continue;
      }
      if (n < 0) {
        int err = errno;
        ::close(fd);
        io_error("cannot read", path, err);
      }
      data.resize(old + static_cast<size_t>(n));
      if (n == 0) break;
      continue;
    }
    ssize_t n = ::read(fd, chunk, sizeof chunk);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      ::close(fd);
      io_error("cannot read", path, err);
    }
    if (n == 0) break;
    data.insert(data.end(), chunk, chunk + n);
  }
  ::close(fd);
  return data;
}

OutputFile::OutputFile(std::filesystem::path target) : target_(std::move(target)) {
  auto dir = target_.parent_path();
  if (dir.empty()) dir = ".";
  std::string pattern = (dir / ("." + target_.filename().string() + ".XXXXXX")).string();
  fd_ = ::mkstemp(pattern.data());
  if (fd_ < 0) io_error("cannot create a file in", dir, errno);
  temp_ = pattern;
}

OutputFile::~OutputFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!temp_.empty()) ::unlink(temp_.c_str());
}

namespace {
constexpr size_t kBuffer = 256 * 1024;
}

void OutputFile::write_through(const uint8_t* p, size_t left) {
  while (left > 0) {
    ssize_t n = ::write(fd_, p, left);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) io_error("cannot write", target_, errno);
    p += n;
    left -= static_cast<size_t>(n);
  }
}

void OutputFile::flush() {
  write_through(buffer_.data(), buffer_.size());
  buffer_.clear();
}

void OutputFile::write(std::span<const uint8_t> bytes) {
  written_ += bytes.size();
  if (buffer_.size() + bytes.size() <= kBuffer) {
    if (buffer_.capacity() < kBuffer) buffer_.reserve(kBuffer);
    buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
    return;
  }
  flush();
  if (bytes.size() >= kBuffer) write_through(bytes.data(), bytes.size());
  else buffer_.insert(buffer_.end(), bytes.begin(), bytes.end());
}

void OutputFile::write_fill(uint8_t value, uint64_t count) {
  std::vector<uint8_t> block(static_cast<size_t>(std::min<uint64_t>(count, 1 << 20)), value);
  while (count > 0) {
    size_t n = static_cast<size_t>(std::min<uint64_t>(count, block.size()));
    write({block.data(), n});
    count -= n;
  }
}

void OutputFile::commit() {
  flush();
  // mkstemp creates 0600; give the output the usual permissions.
  mode_t mask = ::umask(0);
  ::umask(mask);
  ::fchmod(fd_, 0666 & ~mask);
  if (::close(fd_) != 0) {
    fd_ = -1;
    io_error("cannot write", target_, errno);
  }
  fd_ = -1;
  if (::rename(temp_.c_str(), target_.c_str()) != 0) io_error("cannot create", target_, errno);
  temp_.clear();
}

void write_file(const std::filesystem::path& path, std::span<const uint8_t> bytes) {
  OutputFile out(path);
  out.write(bytes);
  out.commit();
}

InputFile::InputFile(const std::filesystem::path& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) io_error("cannot open", path, errno);
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
    void* p = ::mmap(nullptr, static_cast<size_t>(st.st_size), PROT_READ, MAP_PRIVATE, fd, 0);
    if (p != MAP_FAILED) {
      ::close(fd);
      mapped_ = static_cast<const uint8_t*>(p);
      size_ = static_cast<size_t>(st.st_size);
      return;
    }
  }
  ::close(fd);
  read_ = read_file(path);  // pipes, devices, empty files, or no mapping: read as usual
}

InputFile::~InputFile() {
  if (mapped_) ::munmap(const_cast<uint8_t*>(mapped_), size_);
}

}  // namespace omv::image
