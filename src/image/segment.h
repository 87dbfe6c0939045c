#pragma once
// A piece of memory content at an address: what every image format reduces to, and what the
// flash code programs.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

namespace omv::image {

struct Segment {
  uint64_t address = 0;
  std::vector<uint8_t> data;
  std::optional<int> alt;  // DfuSe target alternate setting, when the file names one

  uint64_t end() const { return address + data.size(); }
};

// Sorted by address, with touching or overlapping pieces (of the same alt) joined. Where pieces
// overlap, the later one in the input wins, as when they are written in order.
std::vector<Segment> coalesce(std::vector<Segment> segments);

// One buffer from the lowest address to the highest end, gaps filled with `fill`. Pieces are
// written in input order (later ones win). Throws Error{refused} when the span would exceed
// max_size bytes, naming the span.
struct Flat {
  uint64_t base = 0;
  std::vector<uint8_t> bytes;
};
Flat flatten(const std::vector<Segment>& segments, uint8_t fill, uint64_t max_size);

// The holes between sorted, coalesced segments: [end of one, start of the next).
struct Gap {
  uint64_t start = 0;
  uint64_t end = 0;
};
std::vector<Gap> gaps_between(const std::vector<Segment>& sorted);

}  // namespace omv::image
