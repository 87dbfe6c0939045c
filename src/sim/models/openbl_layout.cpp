#include "sim/models/openbl_layout.h"

#include <array>
#include <cstdlib>

namespace omv::sim {
namespace {

constexpr size_t kSignatureArea = 256;
constexpr size_t kColumns = 6;
constexpr size_t kMaxLines = 15;  // PHASE_LAST_USER
constexpr size_t kColumnCapacity = 32;

// strtoul(text, &end, 0) that must consume at least one character.
std::optional<uint32_t> number(const std::string& text) {
  char* end = nullptr;
  const unsigned long v = std::strtoul(text.c_str(), &end, 0);
  if (end == text.c_str()) return std::nullopt;
  return static_cast<uint32_t>(v);
}

}  // namespace

OpenblLayoutResult parse_openbl_layout(std::span<const uint8_t> block) {
  OpenblLayoutResult out;
  if (block.size() <= kSignatureArea) {
    out.error = "no layout text after the 256-byte signature area";
    return out;
  }
  const std::string text(block.begin() + kSignatureArea, block.end());
  std::array<std::string, kColumns> column;  // kept across lines, as ST's buffers are
  size_t tab = 0;
  bool in_partition_line = true;
  bool column_started = false;
  size_t line = 1;
  for (size_t i = 0; i < text.size() && text[i] != '\0'; ++i) {
    const char c = text[i];
    if (c == '\t') {
      ++tab;
      column_started = false;
      continue;
    }
    if (c == '\n') {
      if (in_partition_line) {
        OpenblPartition p;
        const auto id = number(column[1]);
        const auto offset = number(column[5]);
        if (!id || !offset) {
          out.error = "line " + std::to_string(line) + ": " + (!id ? "Id \"" + column[1] : "Offset \"" + column[5]) +
                      "\" is not a number";
          out.partitions.clear();
          return out;
        }
        p.id = *id;
        p.offset = *offset;
        p.name = column[2];
        out.partitions.push_back(std::move(p));
      }
      ++line;
      in_partition_line = !(i + 1 < text.size() && text[i + 1] == '#');
      tab = 0;
      column_started = false;
      continue;
    }
    if (!in_partition_line || tab >= kColumns) {
      out.error = "line " + std::to_string(line) + ": " +
                  (in_partition_line ? "a seventh column" : "a comment line") + " (ST's parser would not return)";
      out.partitions.clear();
      return out;
    }
    auto& col = column[tab];
    if (!column_started) {
      col.clear();
      column_started = true;
    }
    if (col.size() >= kColumnCapacity) {
      out.error = "line " + std::to_string(line) + ": column " + std::to_string(tab + 1) + " is longer than 32 characters";
      out.partitions.clear();
      return out;
    }
    col.push_back(c);
  }
  if (out.partitions.size() > kMaxLines) {
    out.error = std::to_string(out.partitions.size()) + " lines (at most 15)";
    out.partitions.clear();
  }
  return out;
}

}  // namespace omv::sim
