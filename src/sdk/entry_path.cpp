#include "sdk/entry_path.h"

#include <vector>

namespace omv::sdk {
namespace {

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t next = path.find('/', pos);
    if (next == std::string_view::npos) next = path.size();
    auto part = path.substr(pos, next - pos);
    if (!part.empty() && part != ".") parts.push_back(part);
    pos = next + 1;
  }
  return parts;
}

}  // namespace

CheckedPath check_entry_path(std::string_view name, std::string_view expected_top) {
  CheckedPath out;
  if (name.empty()) return out;
  if (name.front() == '/') {
    out.verdict = PathVerdict::absolute;
    return out;
  }
  auto parts = split(name);
  if (parts.empty()) return out;
  for (auto p : parts)
    if (p == "..") {
      out.verdict = PathVerdict::dot_dot;
      return out;
    }
  out.top = std::string(parts.front());
  if (!expected_top.empty() && parts.front() != expected_top) {
    out.verdict = PathVerdict::second_top;
    return out;
  }
  if (parts.size() == 1) {
    out.verdict = PathVerdict::top_folder;
    return out;
  }
  for (size_t i = 1; i < parts.size(); ++i) {
    if (i > 1) out.inside.push_back('/');
    out.inside.append(parts[i]);
  }
  out.verdict = PathVerdict::inside;
  return out;
}

const char* describe(PathVerdict verdict) {
  switch (verdict) {
    case PathVerdict::inside: return "inside the SDK folder";
    case PathVerdict::top_folder: return "the top-level folder";
    case PathVerdict::absolute: return "an absolute path";
    case PathVerdict::dot_dot: return "a path with '..'";
    case PathVerdict::second_top: return "a second top-level folder";
    case PathVerdict::empty: return "an empty name";
  }
  return "?";
}

bool link_stays_inside(std::string_view link_inside, std::string_view target) {
  if (target.empty() || target.front() == '/') return false;
  auto dir = split(link_inside);
  if (dir.empty()) return false;
  dir.pop_back();  // the link's own name
  size_t depth = dir.size();
  size_t pos = 0;
  while (pos <= target.size()) {
    size_t next = target.find('/', pos);
    if (next == std::string_view::npos) next = target.size();
    auto part = target.substr(pos, next - pos);
    if (part == "..") {
      if (depth == 0) return false;
      --depth;
    } else if (!part.empty() && part != ".") {
      ++depth;
    }
    pos = next + 1;
  }
  return true;
}

}  // namespace omv::sdk
