#include "image/alif_ds.h"

#include <fmt/format.h>

#include <cctype>

#include "image/reader.h"

namespace omv::image {
namespace {

bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::optional<uint32_t> address_of(std::string_view word) {
  int base = 10;
  if (word.size() > 2 && word[0] == '0' && (word[1] == 'x' || word[1] == 'X')) {
    base = 16;
    word.remove_prefix(2);
  }
  if (word.empty() || word.size() > 10) return std::nullopt;
  uint64_t v = 0;
  for (char c : word) {
    const int d = std::isdigit(static_cast<unsigned char>(c))                ? c - '0'
                  : base == 16 && std::isxdigit(static_cast<unsigned char>(c)) ? std::tolower(static_cast<unsigned char>(c)) - 'a' + 10
                                                                               : -1;
    if (d < 0) return std::nullopt;
    v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
    if (v > 0xFFFFFFFFull) return std::nullopt;
  }
  return static_cast<uint32_t>(v);
}

}  // namespace

std::vector<AlifDsImage> parse_alif_ds(std::string_view text, const std::string& source) {
  const Source src{source, "Alif package script"};
  const auto args = text.find("args");
  if (args == std::string_view::npos) malformed(src, 0, "no 'set semihosting args' line");
  const auto end = text.find("continue", args);
  if (end == std::string_view::npos) malformed(src, args, "no 'continue' after the image list");
  std::vector<std::pair<std::string_view, size_t>> words;
  for (size_t i = args + 4; i < end;) {
    while (i < end && is_space(text[i])) ++i;
    const size_t start = i;
    while (i < end && !is_space(text[i])) ++i;
    if (i > start) words.emplace_back(text.substr(start, i - start), start);
  }
  if (words.empty()) malformed(src, args, "the image list is empty");
  if (words.size() % 2)
    malformed(src, words.back().second,
              fmt::format("'{}' has no address: the list is pairs of a file and an address", words.back().first));
  std::vector<AlifDsImage> out;
  for (size_t i = 0; i < words.size(); i += 2) {
    auto address = address_of(words[i + 1].first);
    if (!address)
      malformed(src, words[i + 1].second,
                fmt::format("'{}' (the address of {}) is not a 32-bit number", words[i + 1].first, words[i].first));
    out.push_back({std::string(words[i].first), *address});
  }
  return out;
}

}  // namespace omv::image
