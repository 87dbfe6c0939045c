#include "protocol/gdb/memory_map.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "core/error.h"
#include "core/numbers.h"

namespace omv::protocol::gdb {
namespace {

struct Tag {
  std::string name;           // "memory", "/memory", "property", "/property", ...
  std::map<std::string, std::string> attributes;
  bool self_closing = false;
  size_t offset = 0;
};

[[noreturn]] void bad_map(size_t offset, const std::string& what) {
  fail(ErrorKind::device_error, fmt::format("memory map: {} at offset {}", what, offset));
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Reads one tag starting at xml[pos] == '<'; leaves pos after its '>'. Declarations, doctype and
// comments come back with an empty name.
Tag read_tag(std::string_view xml, size_t& pos) {
  Tag tag;
  tag.offset = pos;
  if (xml.compare(pos, 4, "<!--") == 0) {
    auto end = xml.find("-->", pos + 4);
    if (end == std::string_view::npos) bad_map(pos, "unterminated comment");
    pos = end + 3;
    return tag;
  }
  if (xml.compare(pos, 2, "<?") == 0 || xml.compare(pos, 2, "<!") == 0) {
    auto end = xml.find('>', pos);
    if (end == std::string_view::npos) bad_map(pos, "unterminated declaration");
    pos = end + 1;
    return tag;
  }
  ++pos;
  size_t name_start = pos;
  while (pos < xml.size() && !is_space(xml[pos]) && xml[pos] != '>' && xml[pos] != '/') ++pos;
  if (pos < xml.size() && xml[pos] == '/' && pos == name_start) ++pos;  // "</name"
  while (pos < xml.size() && !is_space(xml[pos]) && xml[pos] != '>' && xml[pos] != '/') ++pos;
  tag.name = std::string(xml.substr(name_start, pos - name_start));
  if (tag.name.empty()) bad_map(tag.offset, "tag without a name");
  for (;;) {
    while (pos < xml.size() && is_space(xml[pos])) ++pos;
    if (pos >= xml.size()) bad_map(tag.offset, "unterminated <" + tag.name + ">");
    if (xml[pos] == '>') {
      ++pos;
      return tag;
    }
    if (xml[pos] == '/') {
      if (pos + 1 >= xml.size() || xml[pos + 1] != '>') bad_map(pos, "'/' not followed by '>'");
      tag.self_closing = true;
      pos += 2;
      return tag;
    }
    size_t key_start = pos;
    while (pos < xml.size() && xml[pos] != '=' && !is_space(xml[pos]) && xml[pos] != '>' && xml[pos] != '/') ++pos;
    std::string key(xml.substr(key_start, pos - key_start));
    while (pos < xml.size() && is_space(xml[pos])) ++pos;
    if (key.empty() || pos >= xml.size() || xml[pos] != '=') bad_map(key_start, "attribute without a value in <" + tag.name + ">");
    ++pos;
    while (pos < xml.size() && is_space(xml[pos])) ++pos;
    if (pos >= xml.size() || (xml[pos] != '"' && xml[pos] != '\'')) bad_map(pos, "attribute value without quotes");
    const char quote = xml[pos++];
    auto end = xml.find(quote, pos);
    if (end == std::string_view::npos) bad_map(pos, "unterminated attribute value");
    tag.attributes[key] = std::string(xml.substr(pos, end - pos));
    pos = end + 1;
  }
}

// strtoul with base 0, as gdb reads these numbers, but whole-string and overflow-checked.
uint64_t parse_number(const std::string& text, size_t offset, const char* what) {
  std::string_view s = text;
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  unsigned base = 10;
  if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    s.remove_prefix(2);
  } else if (s.size() > 1 && s[0] == '0') {
    base = 8;
    s.remove_prefix(1);
  }
  if (s.empty()) bad_map(offset, fmt::format("{} \"{}\" is not a number", what, text));
  uint64_t v = 0;
  for (char c : s) {
    unsigned d = c >= '0' && c <= '9' ? static_cast<unsigned>(c - '0')
                 : c >= 'a' && c <= 'f' ? static_cast<unsigned>(c - 'a' + 10)
                 : c >= 'A' && c <= 'F' ? static_cast<unsigned>(c - 'A' + 10)
                                        : 99u;
    if (d >= base) bad_map(offset, fmt::format("{} \"{}\" is not a number", what, text));
    if (v > (UINT64_MAX - d) / base) bad_map(offset, fmt::format("{} \"{}\" is too large", what, text));
    v = v * base + d;
  }
  return v;
}

const std::string& attribute(const Tag& tag, const std::string& key) {
  auto it = tag.attributes.find(key);
  if (it == tag.attributes.end()) bad_map(tag.offset, "<" + tag.name + "> without " + key);
  return it->second;
}

}  // namespace

const char* to_string(MemoryRegion::Type type) {
  switch (type) {
    case MemoryRegion::Type::ram: return "ram";
    case MemoryRegion::Type::rom: return "rom";
    case MemoryRegion::Type::flash: return "flash";
  }
  return "ram";
}

const MemoryRegion* MemoryMap::region_at(uint64_t address) const {
  for (const auto& r : regions)
    if (r.contains(address)) return &r;
  return nullptr;
}

MemoryMap parse_memory_map(std::string_view xml) {
  MemoryMap map;
  std::vector<size_t> offsets;
  std::optional<MemoryRegion> open;  // inside <memory>...</memory>
  size_t open_offset = 0;
  std::string property;              // inside <property name=...>: its name
  size_t property_text = 0;
  bool saw_root = false;

  auto finish_region = [&](size_t offset) {
    if (open->type == MemoryRegion::Type::flash && open->blocksize == 0)
      bad_map(open_offset, "flash region at " + hex32(open->start) + " without a blocksize property");
    if (open->length && open->start + open->length - 1 < open->start)
      bad_map(open_offset, "region at " + hex32(open->start) + " runs past the end of the address space");
    map.regions.push_back(*open);
    offsets.push_back(open_offset);
    open.reset();
    (void)offset;
  };

  size_t pos = 0;
  while (pos < xml.size()) {
    if (xml[pos] != '<') {
      ++pos;  // text between elements
      continue;
    }
    const size_t at = pos;
    Tag tag = read_tag(xml, pos);
    if (tag.name.empty()) continue;
    if (tag.name == "memory-map") {
      saw_root = true;
    } else if (tag.name == "/memory-map") {
      if (open) bad_map(at, "</memory-map> inside <memory>");
    } else if (tag.name == "memory") {
      if (open) bad_map(at, "<memory> inside <memory>");
      MemoryRegion r;
      const auto& type = attribute(tag, "type");
      if (type == "ram") r.type = MemoryRegion::Type::ram;
      else if (type == "rom") r.type = MemoryRegion::Type::rom;
      else if (type == "flash") r.type = MemoryRegion::Type::flash;
      else bad_map(at, "unknown memory type \"" + type + "\"");
      r.start = parse_number(attribute(tag, "start"), at, "start");
      r.length = parse_number(attribute(tag, "length"), at, "length");
      open = r;
      open_offset = at;
      if (tag.self_closing) finish_region(at);
    } else if (tag.name == "/memory") {
      if (!open) bad_map(at, "</memory> without <memory>");
      finish_region(at);
    } else if (tag.name == "property") {
      if (!open) bad_map(at, "<property> outside <memory>");
      property = attribute(tag, "name");
      property_text = pos;
      if (tag.self_closing) property.clear();
    } else if (tag.name == "/property") {
      if (!open || property_text == 0) bad_map(at, "</property> without <property>");
      if (property == "blocksize") {
        open->blocksize = parse_number(std::string(xml.substr(property_text, at - property_text)), at, "blocksize");
        if (open->blocksize == 0) bad_map(at, "blocksize 0");
      }
      property.clear();
      property_text = 0;
    } else {
      bad_map(at, "unexpected <" + tag.name + ">");
    }
  }
  if (!saw_root) bad_map(0, "no <memory-map> element");
  if (open) bad_map(open_offset, "<memory> not closed");

  std::vector<size_t> order(map.regions.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return map.regions[a].start < map.regions[b].start; });
  std::vector<MemoryRegion> sorted;
  for (size_t i : order) {
    const auto& r = map.regions[i];
    if (!sorted.empty() && r.start < sorted.back().end())
      bad_map(offsets[i], fmt::format("region at {} overlaps the one at {}", hex32(r.start), hex32(sorted.back().start)));
    sorted.push_back(r);
  }
  map.regions = std::move(sorted);
  return map;
}

}  // namespace omv::protocol::gdb
