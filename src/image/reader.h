#pragma once
// A bounds-checked view over the bytes of one file. Every parser reads through it, so a
// length field that points past the end becomes a one-line Error{bad_file} naming the file,
// the format, the offset and what was expected, never an out-of-range read or a huge
// allocation.
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace omv::image {

// Which file and which format a parser is reading, for error messages.
struct Source {
  std::string file;    // as the user named it
  std::string format;  // "DfuSe", "UF2", "ROMFS", ...
};

// Throws Error{bad_file}: "<file>: <format>: offset N (0xN): <what>".
[[noreturn]] void malformed(const Source& source, uint64_t offset, std::string_view what);

class ByteView {
 public:
  ByteView(std::span<const uint8_t> data, Source source) : data_(data), source_(std::move(source)) {}

  uint64_t size() const { return data_.size(); }
  std::span<const uint8_t> data() const { return data_; }
  const Source& source() const { return source_; }

  // Fails with "expected <what> (N bytes), but the file ends at offset M" unless
  // [offset, offset + count) lies inside the file.
  void need(uint64_t offset, uint64_t count, std::string_view what) const;
  bool has(uint64_t offset, uint64_t count) const { return offset <= size() && count <= size() - offset; }

  uint8_t u8(uint64_t offset, std::string_view what) const;
  uint16_t le16(uint64_t offset, std::string_view what) const;
  uint32_t le32(uint64_t offset, std::string_view what) const;
  std::span<const uint8_t> bytes(uint64_t offset, uint64_t count, std::string_view what) const;

  [[noreturn]] void fail(uint64_t offset, std::string_view what) const { malformed(source_, offset, what); }

 private:
  std::span<const uint8_t> data_;
  Source source_;
};

// Text from a file as safe, printable ASCII: other bytes become \xNN (names inside images can
// hold anything, and JSON output needs valid UTF-8).
std::string printable(std::string_view raw);

// Little-endian helpers for buffers whose bounds the caller has already checked.
inline uint16_t load_le16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
inline uint32_t load_le32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) | (static_cast<uint32_t>(p[2]) << 16) |
         (static_cast<uint32_t>(p[3]) << 24);
}
inline void store_le16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v);
  p[1] = static_cast<uint8_t>(v >> 8);
}
inline void store_le32(uint8_t* p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<uint8_t>(v >> (8 * i));
}

}  // namespace omv::image
