#include "image/segment.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstring>
#include <numeric>

#include "core/error.h"
#include "core/numbers.h"

namespace omv::image {

std::vector<Segment> coalesce(std::vector<Segment> segments) {
  std::vector<size_t> order(segments.size());
  std::iota(order.begin(), order.end(), size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    if (segments[a].alt != segments[b].alt) return segments[a].alt < segments[b].alt;
    return segments[a].address < segments[b].address;
  });
  std::vector<Segment> out;
  size_t i = 0;
  while (i < order.size()) {
    // A group: pieces that touch or overlap the running end. Its span is at most the sum of the
    // pieces' sizes, so the allocation is bounded by the input.
    size_t j = i + 1;
    uint64_t start = segments[order[i]].address;
    uint64_t end = segments[order[i]].end();
    while (j < order.size() && segments[order[j]].alt == segments[order[i]].alt && segments[order[j]].address <= end) {
      end = std::max(end, segments[order[j]].end());
      ++j;
    }
    if (j == i + 1) {
      out.push_back(std::move(segments[order[i]]));
    } else {
      std::vector<size_t> members(order.begin() + static_cast<long>(i), order.begin() + static_cast<long>(j));
      std::sort(members.begin(), members.end());  // input order: later pieces win
      Segment joined;
      joined.address = start;
      joined.alt = segments[order[i]].alt;
      joined.data.resize(static_cast<size_t>(end - start));
      for (size_t m : members) {
        const auto& s = segments[m];
        if (!s.data.empty()) std::memcpy(joined.data.data() + (s.address - start), s.data.data(), s.data.size());
      }
      out.push_back(std::move(joined));
    }
    i = j;
  }
  std::stable_sort(out.begin(), out.end(), [](const Segment& a, const Segment& b) { return a.address < b.address; });
  return out;
}

Flat flatten(const std::vector<Segment>& segments, uint8_t fill, uint64_t max_size) {
  Flat flat;
  bool any = false;
  uint64_t lo = 0, hi = 0;
  for (const auto& s : segments) {
    if (s.data.empty()) continue;
    lo = any ? std::min(lo, s.address) : s.address;
    hi = any ? std::max(hi, s.end()) : s.end();
    any = true;
  }
  if (!any) return flat;
  if (hi - lo > max_size)
    fail(ErrorKind::refused,
         fmt::format("the data spans {}..{} ({}); a flat binary of that size is over the {} limit", hex32(lo), hex32(hi),
                     human_size(hi - lo), human_size(max_size)),
         "the image has pieces far apart (e.g. flash and RAM); convert the pieces separately");
  flat.base = lo;
  flat.bytes.assign(static_cast<size_t>(hi - lo), fill);
  for (const auto& s : segments)
    if (!s.data.empty()) std::memcpy(flat.bytes.data() + (s.address - lo), s.data.data(), s.data.size());
  return flat;
}

std::vector<Gap> gaps_between(const std::vector<Segment>& sorted) {
  std::vector<Gap> gaps;
  for (size_t i = 1; i < sorted.size(); ++i)
    if (sorted[i].address > sorted[i - 1].end()) gaps.push_back({sorted[i - 1].end(), sorted[i].address});
  return gaps;
}

}  // namespace omv::image
