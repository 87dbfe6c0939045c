#include "image/flash_layout.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>

#include "core/error.h"
#include "core/numbers.h"
#include "image/file_io.h"
#include "image/reader.h"

namespace omv::image {
namespace {

std::vector<std::string> split_fields(const std::string& line) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && line[i] == '\t') ++i;
    if (i >= line.size()) break;
    size_t j = line.find('\t', i);
    if (j == std::string::npos) j = line.size();
    out.push_back(line.substr(i, j - i));
    i = j;
  }
  return out;
}

bool valid_ip(const std::string& ip) {
  if (ip == "none" || ip == "ram") return true;
  for (const char* prefix : {"spi-nand", "mmc", "nor", "nand"}) {
    const std::string p = prefix;
    if (ip.size() == p.size() + 1 && ip.compare(0, p.size(), p) == 0 && std::isdigit(static_cast<unsigned char>(ip.back())))
      return true;
  }
  return false;
}

bool valid_type(const std::string& type) {
  if (type == "Binary" || type == "FIP" || type == "System" || type == "FileSystem" || type == "RawImage") return true;
  if (type.size() > 8 && type.compare(0, 7, "Binary(") == 0 && type.back() == ')') {
    const std::string n = type.substr(7, type.size() - 8);
    return !n.empty() && n.size() <= 2 && std::all_of(n.begin(), n.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
  }
  return false;
}

}  // namespace

const FlashLayoutLine* FlashLayout::line_for(uint8_t id) const {
  for (const auto& l : lines)
    if (l.id == id && l.selected()) return &l;
  return nullptr;
}

std::string FlashLayout::normalised_tsv() const {
  std::string out;
  for (const auto& l : lines)
    if (l.selected())
      out += fmt::format("{}\t0x{:X}\t{}\t{}\t{}\t{}\n", l.opt, l.id, l.name, l.type, l.ip, l.offset_text);
  return out;
}

FlashLayout parse_flash_layout(const std::string& text, const std::filesystem::path& file, const FlashLayoutOptions& options) {
  FlashLayout layout;
  layout.file = file;
  const std::string where = file.string();
  auto bad = [&](int line, const std::string& what, const std::string& hint = {}) {
    fail(ErrorKind::bad_file, fmt::format("{}:{}: FlashLayout: {}", where, line, what), hint);
  };
  if (text.find('\0') != std::string::npos) bad(1, "the file holds NUL bytes; not a FlashLayout.tsv");
  size_t start = 0;
  int number = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    line.erase(std::remove(line.begin(), line.end(), '\r'), line.end());
    if (line.empty() || line[0] == '#') continue;
    auto f = split_fields(line);
    if (f.empty()) continue;
    if (f.size() < 6)
      bad(number, fmt::format("{} column{}, expected at least 6 (Opt Id Name Type IP Offset [Binary])", f.size(),
                              f.size() == 1 ? "" : "s"),
          "columns are separated by tabs, not spaces");
    FlashLayoutLine l;
    l.line_number = number;
    l.opt = f[0];
    if (l.opt != "-") {
      if (!std::all_of(l.opt.begin(), l.opt.end(), [](char c) { return c == 'P' || c == 'E' || c == 'D'; }))
        bad(number, fmt::format("Opt '{}': expected '-' or letters from P, E and D", printable(l.opt)));
      if (!l.selected()) bad(number, fmt::format("Opt '{}' without P", printable(l.opt)));
    }
    auto id = parse_u64(f[1]);
    if (!id || *id == 0 || *id > 0xF0)
      bad(number, fmt::format("Id '{}': expected a phase id from 0x01 to 0xF0", printable(f[1])));
    l.id = static_cast<uint8_t>(*id);
    for (const auto& other : layout.lines)
      if (other.id == l.id) bad(number, fmt::format("Id 0x{:02X} is used again (first on line {})", l.id, other.line_number));
    l.name = f[2];
    if (l.name.size() > 16) bad(number, fmt::format("Name '{}' is longer than 16 characters", printable(l.name)));
    l.type = f[3];
    if (!valid_type(l.type))
      bad(number, fmt::format("Type '{}': expected Binary, Binary(N), FIP, System, FileSystem or RawImage", printable(l.type)));
    l.ip = f[4];
    if (!valid_ip(l.ip))
      bad(number, fmt::format("IP '{}': expected none, ram, mmcN, norN, nandN or spi-nandN", printable(l.ip)));
    l.offset_text = f[5];
    if (l.offset_text == "boot1" || l.offset_text == "boot2") {
      if (l.ip.rfind("mmc", 0) != 0) bad(number, fmt::format("Offset {} is only for eMMC (IP mmcN)", l.offset_text));
    } else {
      l.offset = parse_u64(l.offset_text);
      if (!l.offset) bad(number, fmt::format("Offset '{}': expected a number", printable(l.offset_text)));
    }
    if (l.selected() && l.ip == "none" &&
        std::find(options.ram_phases.begin(), options.ram_phases.end(), l.id) == options.ram_phases.end())
      bad(number, fmt::format("Id 0x{:02X} ({}) is selected (Opt {}) but its IP is none: there is nowhere to write it", l.id,
                              printable(l.name), l.opt),
          "give the line a device (norN, mmcN...) or mark it '-'");
    if (f.size() >= 7) {
      l.binary = f[6];
      std::filesystem::path p(l.binary);
      l.binary_path = p.is_absolute() ? p : file.parent_path() / p;
    }
    if (l.selected() && !l.empty_partition() && l.binary.empty())
      bad(number, fmt::format("Id 0x{:02X} ({}) is selected but names no Binary file (7th column)", l.id, printable(l.name)));
    layout.lines.push_back(std::move(l));
  }
  if (layout.lines.empty()) bad(number, "no partition lines (only comments or blank lines)");
  return layout;
}

FlashLayout read_flash_layout(const std::filesystem::path& file, const FlashLayoutOptions& options) {
  auto bytes = read_file(file);
  return parse_flash_layout(std::string(bytes.begin(), bytes.end()), file, options);
}

}  // namespace omv::image
