#pragma once
// Which tar entries may be extracted into the SDK folder. The tarball has one top-level folder
// (stripped, like tar --strip-components=1); nothing may land outside the SDK folder: no absolute
// names, no `..`, no link that resolves outside it.
#include <string>
#include <string_view>

namespace omv::sdk {

enum class PathVerdict {
  inside,         // extract to `inside` under the SDK folder
  top_folder,     // the top-level folder itself: nothing to extract
  absolute,       // starts with '/'
  dot_dot,        // has a `..` component
  second_top,     // a different top-level folder than the first entry's
  empty,          // no name at all
};

struct CheckedPath {
  PathVerdict verdict = PathVerdict::empty;
  std::string top;     // the top-level folder name
  std::string inside;  // the path below it, normalised (no "." or empty components)
};

// `expected_top` empty: any top-level folder (the first entry decides).
CheckedPath check_entry_path(std::string_view name, std::string_view expected_top);
const char* describe(PathVerdict verdict);

// Whether a symbolic link at `link_inside` (a path below the SDK folder) with target `target`
// stays below the SDK folder when resolved lexically. Absolute targets never do.
bool link_stays_inside(std::string_view link_inside, std::string_view target);

}  // namespace omv::sdk
