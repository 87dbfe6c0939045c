#pragma once
// Reading whole files and writing outputs so that a failure never leaves a half-written file:
// output goes to a temporary file beside the target and is renamed over it on commit().
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace omv::image {

// The whole file; Error{io} (naming the file and the reason) when it cannot be read.
std::vector<uint8_t> read_file(const std::filesystem::path& path);

class OutputFile {
 public:
  explicit OutputFile(std::filesystem::path target);
  ~OutputFile();  // removes the temporary file unless committed
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  void write(std::span<const uint8_t> bytes);  // small writes are buffered
  void write_fill(uint8_t value, uint64_t count);
  void commit();  // closes and renames into place
  uint64_t written() const { return written_; }

 private:
  void flush();
  void write_through(const uint8_t* p, size_t n);

  std::filesystem::path target_;
  std::filesystem::path temp_;
  int fd_ = -1;
  uint64_t written_ = 0;
  std::vector<uint8_t> buffer_;
};

void write_file(const std::filesystem::path& path, std::span<const uint8_t> bytes);

// A whole input file without copying it: regular files are mapped read-only (a conversion of a
// large image then reads each byte once, from the page cache); anything else is read.
class InputFile {
 public:
  explicit InputFile(const std::filesystem::path& path);
  ~InputFile();
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  std::span<const uint8_t> bytes() const { return mapped_ ? std::span<const uint8_t>(mapped_, size_) : std::span<const uint8_t>(read_); }

 private:
  const uint8_t* mapped_ = nullptr;
  size_t size_ = 0;
  std::vector<uint8_t> read_;
};

}  // namespace omv::image
