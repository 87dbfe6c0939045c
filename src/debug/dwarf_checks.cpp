#include "debug/dwarf_checks.h"

#include <algorithm>
#include <map>
#include <set>

namespace omv::debug {
namespace fs = std::filesystem;
namespace {

std::vector<std::string_view> tokens(std::string_view s) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    size_t start = i;
    while (i < s.size() && s[i] != ' ') ++i;
    if (i > start) out.push_back(s.substr(start, i - start));
  }
  return out;
}

// GCC records its command-line options in DW_AT_producer (-grecord-gcc-switches, on by default);
// "GNU AS" and other producers do not.
bool records_options(std::string_view producer) {
  return producer.rfind("GNU ", 0) == 0 && producer.rfind("GNU AS", 0) != 0;
}

}  // namespace

std::optional<std::string> optimisation_flag(std::string_view producer) {
  if (!records_options(producer)) return std::nullopt;
  static const std::set<std::string_view> levels = {"-O0", "-O1", "-O2", "-O3", "-Os", "-Og", "-Oz", "-Ofast"};
  std::string flag = "-O0";
  for (auto t : tokens(producer)) {
    if (t == "-O") flag = "-O1";
    else if (levels.count(t)) flag = std::string(t);
  }
  return flag;
}

bool debuggable_level(std::string_view flag) { return flag == "-O0" || flag == "-Og"; }

std::optional<std::string> debug_info_flag(std::string_view producer) {
  if (!records_options(producer)) return std::nullopt;
  static const std::set<std::string_view> flags = {"-g",     "-g0",     "-g1",     "-g2",     "-g3",
                                                   "-ggdb",  "-ggdb0",  "-ggdb1",  "-ggdb2",  "-ggdb3",
                                                   "-gline-tables-only"};
  std::optional<std::string> flag;
  for (auto t : tokens(producer))
    if (flags.count(t)) flag = std::string(t);
  return flag;
}

BuildAssessment assess_build(const ElfInfo& elf) {
  BuildAssessment a;
  if (!elf.has_dwarf) {
    a.verdict = BuildAssessment::Verdict::no_dwarf;
    return a;
  }
  std::map<std::string, size_t> by_level;
  for (const auto& cu : elf.units) {
    auto flag = optimisation_flag(cu.producer);
    if (!flag) continue;
    ++a.total_units;
    ++by_level[*flag];
    if (!debuggable_level(*flag)) ++a.optimised_units;
  }
  const CompileUnit* decider = nullptr;
  if (elf.main_unit && optimisation_flag(elf.units[*elf.main_unit].producer)) decider = &elf.units[*elf.main_unit];
  if (!decider && !by_level.empty()) {
    auto most = std::max_element(by_level.begin(), by_level.end(),
                                 [](const auto& x, const auto& y) { return x.second < y.second; });
    for (const auto& cu : elf.units)
      if (optimisation_flag(cu.producer) == most->first) {
        decider = &cu;
        break;
      }
  }
  if (!decider) return a;  // unknown: nothing recorded the options
  a.level = *optimisation_flag(decider->producer);
  a.unit = decider->name;
  a.verdict = debuggable_level(a.level) ? BuildAssessment::Verdict::debug_build : BuildAssessment::Verdict::optimised;
  auto g = debug_info_flag(decider->producer);
  a.minimal_debug_info = g && (*g == "-g1" || *g == "-ggdb1" || *g == "-gline-tables-only");
  return a;
}

std::vector<std::pair<std::string, std::string>> substitute_paths(const ElfInfo& elf, const fs::path& checkout,
                                                                  const PathExists& exists) {
  std::vector<std::pair<std::string, std::string>> out;
  std::set<std::string> seen_dirs;
  const size_t max_pairs = 8;
  for (const auto& cu : elf.units) {
    if (cu.name.empty() || cu.name.front() == '<') continue;
    fs::path file = fs::path(cu.name);
    if (file.is_relative()) {
      if (cu.comp_dir.empty()) continue;
      file = fs::path(cu.comp_dir) / file;
    }
    file = file.lexically_normal();
    std::string dir = file.parent_path().string();
    if (!seen_dirs.insert(dir).second) continue;  // one check per directory is enough
    if (exists(file)) continue;
    std::vector<fs::path> parts(file.begin(), file.end());
    // Drop leading components one at a time: the first remainder found under the checkout
    // gives the shortest prefix to substitute.
    for (size_t drop = 1; drop + 1 <= parts.size(); ++drop) {
      fs::path rest;
      for (size_t k = drop; k < parts.size(); ++k) rest /= parts[k];
      if (!exists(checkout / rest)) continue;
      fs::path prefix;
      for (size_t k = 0; k < drop; ++k) prefix /= parts[k];
      std::string from = prefix.string();
      std::string to = checkout.lexically_normal().string();
      while (from.size() > 1 && from.back() == '/') from.pop_back();
      while (to.size() > 1 && to.back() == '/') to.pop_back();
      if (from != to && std::find(out.begin(), out.end(), std::pair{from, to}) == out.end()) out.emplace_back(from, to);
      break;
    }
    if (out.size() >= max_pairs) break;
  }
  return out;
}

}  // namespace omv::debug
