#include "protocol/dfu/dfuse_layout.h"

#include <cctype>

namespace omv::dfu {
namespace {

constexpr uint64_t kAddressLimit = 1ull << 32;

class Parser {
 public:
  explicit Parser(std::string_view t) : t_(t) {}
  bool at_end() const { return pos_ >= t_.size(); }
  char peek() const { return at_end() ? '\0' : t_[pos_]; }
  size_t pos() const { return pos_; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++pos_;
    return true;
  }
  void skip_spaces() {
    while (peek() == ' ') ++pos_;
  }
  std::optional<uint64_t> decimal() {
    size_t start = pos_;
    uint64_t v = 0;
    while (std::isdigit(static_cast<unsigned char>(peek()))) {
      v = v * 10 + static_cast<uint64_t>(peek() - '0');
      if (v > kAddressLimit) return std::nullopt;
      ++pos_;
    }
    if (pos_ == start) return std::nullopt;
    return v;
  }
  std::optional<uint64_t> hex_address() {
    if (!(eat('0') && (eat('x') || eat('X')))) return std::nullopt;
    size_t start = pos_;
    uint64_t v = 0;
    while (std::isxdigit(static_cast<unsigned char>(peek()))) {
      char c = static_cast<char>(std::tolower(static_cast<unsigned char>(peek())));
      v = v * 16 + static_cast<uint64_t>(std::isdigit(static_cast<unsigned char>(c)) ? c - '0' : c - 'a' + 10);
      if (v >= kAddressLimit) return std::nullopt;
      ++pos_;
    }
    if (pos_ == start) return std::nullopt;
    return v;
  }
  std::string_view rest_until(char c) {
    size_t start = pos_;
    while (!at_end() && peek() != c) ++pos_;
    return t_.substr(start, pos_ - start);
  }

 private:
  std::string_view t_;
  size_t pos_ = 0;
};

bool set_error(std::string* error, const std::string& why, size_t offset) {
  if (error) *error = why + " at offset " + std::to_string(offset);
  return false;
}

}  // namespace

const LayoutSegment* MemoryLayout::find(uint64_t addr) const {
  for (const auto& s : segments)
    if (addr >= s.start && addr < s.end) return &s;
  return nullptr;
}

std::optional<uint64_t> MemoryLayout::page_start(uint64_t addr) const {
  const auto* s = find(addr);
  if (!s) return std::nullopt;
  return s->start + (addr - s->start) / s->page_size * s->page_size;
}

std::optional<MemoryLayout> parse_memory_layout(std::string_view text, std::string* error) {
  Parser p(text);
  MemoryLayout layout;
  if (!p.eat('@')) {
    set_error(error, "memory layout must start with '@'", 0);
    return std::nullopt;
  }
  std::string_view name = p.rest_until('/');
  while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
  layout.name = std::string(name);
  const bool device_feature = layout.name == "Device Feature";
  if (p.at_end()) {
    set_error(error, "memory layout has no address", p.pos());
    return std::nullopt;
  }
  while (p.eat('/')) {
    p.skip_spaces();
    auto base = p.hex_address();
    if (!base) {
      set_error(error, "expected a 0x address", p.pos());
      return std::nullopt;
    }
    if (!p.eat('/')) {
      set_error(error, "expected '/' after the address", p.pos());
      return std::nullopt;
    }
    uint64_t addr = *base;
    do {
      p.skip_spaces();
      auto count = p.decimal();
      if (!count || *count == 0 || !p.eat('*')) {
        set_error(error, "expected <count>*<size>", p.pos());
        return std::nullopt;
      }
      auto size = p.decimal();
      if (!size || *size == 0) {
        set_error(error, "expected a sector size", p.pos());
        return std::nullopt;
      }
      uint64_t mult = 1;
      char m = p.peek();
      uint8_t type = 0;
      if (m == 'K') mult = 1024;
      else if (m == 'M') mult = 1024 * 1024;
      else if (m == 'B' || m == ' ') mult = 1;
      else if (m >= 'a' && m <= 'g') mult = 0;  // a type letter where the multiplier goes: bytes
      else {
        set_error(error, std::string("unknown size multiplier '") + m + "'", p.pos());
        return std::nullopt;
      }
      if (mult == 0) {
        mult = 1;
        type = static_cast<uint8_t>(m & 7);
        p.eat(m);
      } else {
        p.eat(m);
        char t = p.peek();
        if (t < 'a' || t > 'g') {
          set_error(error, "expected a type letter a-g", p.pos());
          return std::nullopt;
        }
        type = static_cast<uint8_t>(t & 7);
        p.eat(t);
      }
      if (device_feature) type = 5;  // dfu-util: rw
      const uint64_t page = *size * mult;
      const uint64_t length = *count * page;
      if (page >= kAddressLimit || length > kAddressLimit || addr + length > kAddressLimit) {
        set_error(error, "segment runs past the 32-bit address space", p.pos());
        return std::nullopt;
      }
      for (const auto& other : layout.segments)
        if (length > 0 && addr < other.end && other.start < addr + length) {
          set_error(error, "segment overlaps an earlier one", p.pos());
          return std::nullopt;
        }
      layout.segments.push_back({addr, addr + length, page, type});
      addr += length;
    } while (p.eat(','));
    p.skip_spaces();
  }
  if (!p.at_end()) {
    set_error(error, "unexpected text after the layout", p.pos());
    return std::nullopt;
  }
  if (layout.segments.empty()) {
    set_error(error, "memory layout has no segments", p.pos());
    return std::nullopt;
  }
  return layout;
}

}  // namespace omv::dfu
