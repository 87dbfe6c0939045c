#include "core/text.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>

namespace omv {

std::string to_upper(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

bool iequals(std::string_view a, std::string_view b) { return to_upper(a) == to_upper(b); }

size_t edit_distance(std::string_view a_in, std::string_view b_in) {
  const std::string a = to_upper(a_in), b = to_upper(b_in);
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::vector<std::string> nearest(std::string_view wanted, const std::vector<std::string>& candidates,
                                 size_t max_results) {
  // Ties are broken by how far apart the first differing characters are, so OPENMV5 ranks
  // OPENMV4 before OPENMV1.
  auto closeness = [](const std::string& a, const std::string& b) {
    for (size_t i = 0; i < a.size() && i < b.size(); ++i)
      if (a[i] != b[i]) return static_cast<size_t>(std::abs(a[i] - b[i]));
    return size_t{0};
  };
  struct Scored { size_t distance, closeness; std::string name; };
  std::vector<Scored> scored;
  const std::string upper = to_upper(wanted);
  for (const auto& c : candidates) {
    size_t d = edit_distance(wanted, c);
    // A candidate that contains what was typed (or the reverse) is a strong hint.
    const std::string cu = to_upper(c);
    if (!upper.empty() && (cu.find(upper) != std::string::npos || upper.find(cu) != std::string::npos))
      d = std::min<size_t>(d, 1);
    scored.push_back({d, closeness(upper, cu), c});
  }
  std::stable_sort(scored.begin(), scored.end(), [](const Scored& x, const Scored& y) {
    return x.distance != y.distance ? x.distance < y.distance : x.closeness < y.closeness;
  });
  std::vector<std::string> out;
  const size_t limit = std::max<size_t>(2, upper.size() / 2);
  for (const auto& s : scored) {
    if (out.size() >= max_results) break;
    if (s.distance <= limit) out.push_back(s.name);
  }
  return out;
}

std::string join(const std::vector<std::string>& parts, std::string_view separator) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += separator;
    out += parts[i];
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

}  // namespace omv
