#include "image/romfs_builder.h"

#include <fcntl.h>
#include <unistd.h>

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

#include "core/error.h"
#include "image/reader.h"
#include "image/romfs.h"

namespace omv::image {
namespace {

constexpr uint64_t kHeaderAlign = 16;   // the filesystem payload starts at offset 16
constexpr uint64_t kRecordHeader = 8;   // file and directory record headers are 8 bytes

uint64_t name_record_size(const std::string& name) { return varuint_size(name.size()) + name.size(); }

// The 0x80 padding in a data record header that puts the data on the alignment.
uint64_t data_padding(uint64_t record_offset, uint64_t size, uint64_t align) {
  const uint64_t data = record_offset + 1 + varuint_size(size);
  if (align <= 1) return 0;
  return (data + align - 1) / align * align - data;
}

void check_entry(const RomfsBuildEntry& e) {
  const std::string who = e.origin.empty() ? "\"" + printable(e.name) + "\"" : e.origin;
  if (e.name.empty()) fail(ErrorKind::usage, fmt::format("ROMFS entry {} has an empty name", who));
  if (e.name.find('/') != std::string::npos || e.name.find('\0') != std::string::npos || e.name == "." || e.name == "..")
    fail(ErrorKind::usage, fmt::format("ROMFS entry {}: name \"{}\" may not be . or .. or contain '/' or NUL", who, printable(e.name)));
  if (!e.directory && e.alignment > 1 && (e.alignment & (e.alignment - 1)) != 0)
    fail(ErrorKind::usage, fmt::format("ROMFS entry {}: alignment {} is not a power of two", who, e.alignment));
}

uint64_t plan_entry(const RomfsBuildEntry& e, uint64_t offset, const std::string& prefix, RomfsPlan& plan) {
  check_entry(e);
  const size_t index = plan.entries.size();
  plan.entries.emplace_back();
  RomfsPlanEntry p;
  p.path = prefix.empty() ? e.name : prefix + "/" + e.name;
  p.directory = e.directory;
  p.record_offset = offset;
  p.origin = e.origin;
  const uint64_t name_end = offset + kRecordHeader + name_record_size(e.name);
  uint64_t end = name_end;
  if (e.directory) {
    for (const auto& child : e.children) end += plan_entry(child, end, p.path, plan);
  } else {
    p.data_offset = name_end + 1 + data_padding(name_end, e.size, e.alignment) + varuint_size(e.size);
    p.size = e.size;
    p.alignment = e.alignment;
    end = p.data_offset + e.size;
  }
  p.record_size = end - offset;
  if (varuint_size(p.record_size - kRecordHeader) > kRecordHeader - 1)
    fail(ErrorKind::usage, fmt::format("ROMFS entry {} is too large", p.path));
  plan.entries[index] = std::move(p);
  return end - offset;
}

class Writer {
 public:
  Writer(const RomfsPlan& plan, const ByteSink& sink) : plan_(plan), sink_(sink) {}

  // kind varuint, 0x80 padding, length varuint: `width` bytes in all.
  void header(uint64_t kind, uint64_t length, uint64_t width) {
    std::vector<uint8_t> h;
    append_varuint(h, kind);
    const uint64_t used = h.size() + varuint_size(length);
    h.insert(h.end(), static_cast<size_t>(width - used), 0x80);
    append_varuint(h, length);
    sink_(h);
  }

  void entries(const std::vector<RomfsBuildEntry>& list) {
    for (const auto& e : list) entry(e);
  }

 private:
  void entry(const RomfsBuildEntry& e) {
    const RomfsPlanEntry& p = plan_.entries.at(next_++);
    header(e.directory ? kRomfsKindDirectory : kRomfsKindFile, p.record_size - kRecordHeader, kRecordHeader);
    std::vector<uint8_t> name;
    append_varuint(name, e.name.size());
    name.insert(name.end(), e.name.begin(), e.name.end());
    sink_(name);
    if (e.directory) {
      entries(e.children);
      return;
    }
    const uint64_t name_end = p.record_offset + kRecordHeader + name_record_size(e.name);
    header(kRomfsKindData, e.size, 1 + data_padding(name_end, e.size, e.alignment) + varuint_size(e.size));
    if (e.source.empty()) {
      if (e.contents.size() != e.size) fail(ErrorKind::failure, fmt::format("ROMFS entry {}: size changed", p.path));
      sink_(e.contents);
    } else {
      copy(e);
    }
  }

  void copy(const RomfsBuildEntry& e) {
    int fd = ::open(e.source.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) fail(ErrorKind::io, fmt::format("cannot open {}: {}", e.source.string(), std::strerror(errno)));
    if (buffer_.empty()) buffer_.resize(1 << 20);
    uint64_t left = e.size;
    for (;;) {
      ssize_t n = ::read(fd, buffer_.data(), buffer_.size());
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) {
        int err = errno;
        ::close(fd);
        fail(ErrorKind::io, fmt::format("cannot read {}: {}", e.source.string(), std::strerror(err)));
      }
      if (n == 0) break;
      if (static_cast<uint64_t>(n) > left) {
        ::close(fd);
        fail(ErrorKind::io, fmt::format("{} grew while the image was being written", e.source.string()));
      }
      sink_({buffer_.data(), static_cast<size_t>(n)});
      left -= static_cast<uint64_t>(n);
    }
    ::close(fd);
    if (left != 0) fail(ErrorKind::io, fmt::format("{} shrank while the image was being written", e.source.string()));
  }

  const RomfsPlan& plan_;
  const ByteSink& sink_;
  size_t next_ = 0;
  std::vector<uint8_t> buffer_;
};

}  // namespace

RomfsPlan plan_romfs(const std::vector<RomfsBuildEntry>& entries) {
  RomfsPlan plan;
  uint64_t offset = kHeaderAlign;
  for (const auto& e : entries) offset += plan_entry(e, offset, "", plan);
  plan.image_size = offset;
  return plan;
}

void write_romfs(const std::vector<RomfsBuildEntry>& entries, const RomfsPlan& plan, const ByteSink& sink) {
  Writer w(plan, sink);
  w.header(kRomfsKindFilesystem, plan.image_size - kHeaderAlign, kHeaderAlign);
  w.entries(entries);
}

std::vector<uint8_t> build_romfs(const std::vector<RomfsBuildEntry>& entries) {
  auto plan = plan_romfs(entries);
  std::vector<uint8_t> out;
  out.reserve(static_cast<size_t>(plan.image_size));
  write_romfs(entries, plan, [&](std::span<const uint8_t> bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); });
  return out;
}

}  // namespace omv::image
