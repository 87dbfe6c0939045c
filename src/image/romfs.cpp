#include "image/romfs.h"

#include <fmt/format.h>

#include <set>

#include "core/error.h"

namespace omv::image {

size_t varuint_size(uint64_t value) {
  size_t n = 1;
  while (value >>= 7) ++n;
  return n;
}

void append_varuint(std::vector<uint8_t>& out, uint64_t value) {
  const size_t n = varuint_size(value);
  for (size_t i = n; i-- > 0;) {
    auto group = static_cast<uint8_t>((value >> (7 * i)) & 0x7F);
    out.push_back(i ? static_cast<uint8_t>(group | 0x80) : group);
  }
}

uint64_t read_varuint(const ByteView& view, uint64_t& pos, uint64_t limit, std::string_view what) {
  const uint64_t start = pos;
  uint64_t value = 0;
  for (;;) {
    if (pos >= limit) {
      if (limit >= view.size())
        view.fail(start, fmt::format("expected {} (a varuint), but the file ends at offset {}", what, view.size()));
      view.fail(start, fmt::format("expected {} (a varuint) to end before offset {}, where the enclosing record ends", what, limit));
    }
    const uint8_t b = view.data()[pos++];
    if (value > (UINT64_MAX >> 7)) view.fail(start, fmt::format("{} is a varuint larger than 64 bits", what));
    value = (value << 7) | (b & 0x7F);
    if (!(b & 0x80)) return value;
  }
}

bool looks_like_romfs(std::span<const uint8_t> bytes) {
  return bytes.size() >= 3 && bytes[0] == 0xD2 && bytes[1] == 0xCD && bytes[2] == 0x31;
}

uint64_t alignment_of(uint64_t offset) {
  if (offset == 0) return 0;
  return offset & (~offset + 1);
}

namespace {

class Parser {
 public:
  Parser(const ByteView& view, Romfs& fs) : view_(view), fs_(fs) {}

  void records(uint64_t pos, uint64_t end, const std::string& prefix, int depth) {
    std::set<std::string> names;
    while (pos < end) {
      const uint64_t at = pos;
      const uint64_t kind = read_varuint(view_, pos, end, "a record kind");
      const uint64_t length = read_varuint(view_, pos, end, "a record length");
      if (length > end - pos)
        view_.fail(at, fmt::format("record of kind {} declares {} bytes but {} ends at offset {}", kind, length,
                                   depth == 0 ? "the filesystem" : "its directory", end));
      const uint64_t payload = pos;
      pos += length;
      switch (kind) {
        case 0: view_.fail(at, "expected a record kind, found 0 (unused; the image is corrupt)");
        case kRomfsKindPadding: break;
        case kRomfsKindData:
        case kRomfsKindIndirect: warn_once(fmt::format("data record outside a file at offset {}", at)); break;
        case kRomfsKindDirectory:
        case kRomfsKindFile: {
          RomfsEntry e;
          e.directory = kind == kRomfsKindDirectory;
          e.record_offset = at;
          e.depth = depth;
          uint64_t p = payload;
          const uint64_t name_len = read_varuint(view_, p, pos, "a name length");
          if (name_len > pos - p)
            view_.fail(p, fmt::format("name of {} bytes runs past the end of its record at offset {}", name_len, pos));
          e.name.assign(reinterpret_cast<const char*>(view_.data().data() + p), static_cast<size_t>(name_len));
          p += name_len;
          e.path = prefix.empty() ? e.name : prefix + "/" + e.name;
          if (!names.insert(e.name).second) fs_.warnings.push_back(fmt::format("duplicate name \"{}\" at offset {}", printable(e.path), at));
          if (e.directory) {
            if (depth + 1 >= kRomfsMaxDepth) view_.fail(at, fmt::format("directories nested deeper than {}", kRomfsMaxDepth));
            fs_.entries.push_back(e);
            records(p, pos, e.path, depth + 1);
          } else {
            file_contents(e, p, pos);
            fs_.entries.push_back(e);
          }
          break;
        }
        default: warn_once(fmt::format("unknown record kind {} skipped (first at offset {})", kind, at)); break;
      }
    }
  }

 private:
  void file_contents(RomfsEntry& e, uint64_t pos, uint64_t end) {
    bool found = false;
    while (pos < end) {
      const uint64_t at = pos;
      const uint64_t kind = read_varuint(view_, pos, end, "a record kind");
      const uint64_t length = read_varuint(view_, pos, end, "a record length");
      if (length > end - pos)
        view_.fail(at, fmt::format("record of kind {} declares {} bytes but its file record ends at offset {}", kind, length, end));
      const uint64_t payload = pos;
      pos += length;
      if (kind == 0) view_.fail(at, "expected a record kind, found 0 (unused; the image is corrupt)");
      if (kind != kRomfsKindData && kind != kRomfsKindIndirect) continue;
      if (found) {
        fs_.warnings.push_back(fmt::format("file \"{}\" has a second data record at offset {} (ignored)", printable(e.path), at));
        continue;
      }
      found = true;
      if (kind == kRomfsKindData) {
        e.data_offset = payload;
        e.size = length;
      } else {
        uint64_t p = payload;
        const uint64_t size = read_varuint(view_, p, pos, "an indirect data size");
        const uint64_t offset = read_varuint(view_, p, pos, "an indirect data offset");
        if (offset > fs_.payload_size || size > fs_.payload_size - offset)
          view_.fail(at, fmt::format("indirect data of {} bytes at payload offset {} lies outside the {}-byte filesystem", size,
                                     offset, fs_.payload_size));
        e.data_offset = fs_.payload_offset + offset;
        e.size = size;
        e.indirect = true;
      }
    }
  }

  void warn_once(std::string message) {
    if (warned_.insert(message.substr(0, message.find(' '))).second) fs_.warnings.push_back(std::move(message));
  }

  const ByteView& view_;
  Romfs& fs_;
  std::set<std::string> warned_;
};

}  // namespace

Romfs parse_romfs(const ByteView& view) {
  Romfs fs;
  view.need(0, 4, "the ROMFS header");
  if (!looks_like_romfs(view.data()))
    view.fail(0, fmt::format("expected the ROMFS magic D2 CD 31, found {:02X} {:02X} {:02X}", view.data()[0], view.data()[1], view.data()[2]));
  uint64_t pos = 0;
  const uint64_t kind = read_varuint(view, pos, view.size(), "the filesystem record kind");
  if (kind != kRomfsKindFilesystem) view.fail(0, fmt::format("expected the filesystem record kind 0x14A6B1, found 0x{:X}", kind));
  const uint64_t length = read_varuint(view, pos, view.size(), "the filesystem length");
  if (length > view.size() - pos)
    view.fail(pos, fmt::format("expected {} bytes of filesystem after the header, but the file ends at offset {} ({} bytes short)",
                               length, view.size(), length - (view.size() - pos)));
  fs.payload_offset = pos;
  fs.payload_size = length;
  fs.trailing = view.size() - pos - length;
  Parser(view, fs).records(pos, pos + length, "", 0);
  return fs;
}

}  // namespace omv::image
