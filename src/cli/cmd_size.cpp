// omv size TARGET [--json]: flash and RAM per memory region of a build, read from its ELFs.
#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "build/build_driver.h"
#include "build/output_files.h"
#include "build/size_report.h"
#include "cli/command.h"
#include "cli/table.h"
#include "core/error.h"
#include "core/numbers.h"

namespace omv::cli::cmd_size {
namespace {

namespace fs = std::filesystem;

std::string bar(double percent, int width = 24) {
  int filled = static_cast<int>(std::clamp(percent, 0.0, 100.0) / 100.0 * width + 0.5);
  return "[" + std::string(static_cast<size_t>(filled), '#') + std::string(static_cast<size_t>(width - filled), '.') + "]";
}

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

nlohmann::json report_json(const build::SizeReport& r) {
  nlohmann::json regions = nlohmann::json::array();
  for (const auto& g : r.regions) {
    nlohmann::json j = {{"name", g.name}, {"kind", g.kind},       {"source", g.source},
                        {"start", g.start}, {"used", g.used},     {"sections", g.sections}};
    j["size"] = g.size ? nlohmann::json(*g.size) : nlohmann::json(nullptr);
    j["percent"] = g.percent() ? nlohmann::json(*g.percent()) : nlohmann::json(nullptr);
    regions.push_back(j);
  }
  return {{"elf", r.elf}, {"map", r.map}, {"flash_used", r.flash_used}, {"ram_used", r.ram_used}, {"regions", regions}};
}

void print_report(const build::SizeReport& r) {
  fmt::print("{}{}\n", r.elf, r.map.empty() ? "" : "  (regions from " + fs::path(r.map).filename().string() + ")");
  Table t({"REGION", "KIND", "START", "USED", "SIZE", "", "USE"});
  for (const auto& g : r.regions) {
    auto pct = g.percent();
    t.add({g.name, g.kind, hex32(g.start), human_size(g.used), g.size ? human_size(*g.size) : "?",
           pct ? bar(*pct) : "", pct ? fmt::format("{:5.1f}%", *pct) : "size unknown"});
  }
  std::fputs(t.render("  ").c_str(), stdout);
  fmt::print("  flash {}  RAM {}\n", human_size(r.flash_used), human_size(r.ram_used));
}

void run(Context& ctx, const std::string& wanted) {
  const auto& co = ctx.require_checkout();
  auto reporter = ctx.reporter();
  build::Builder builder(co, ctx.boards(), reporter, ctx.globals.json);
  const auto* cb = co.board(wanted);
  if (!cb) builder.resolve(wanted);  // throws with suggestions
  const std::string target = cb->target;
  const boards::Board* board = ctx.boards().find(target);
  const fs::path build_dir = co.root / "build" / target;
  const fs::path bin = build::bin_dir_of(co.root, target);
  std::vector<fs::path> elfs;
  std::error_code ec;
  for (fs::directory_iterator it(bin, ec), end; !ec && it != end; it.increment(ec))
    if (it->path().extension() == ".elf" && it->is_regular_file(ec)) elfs.push_back(it->path());
  std::sort(elfs.begin(), elfs.end());
  if (elfs.empty())
    fail(ErrorKind::usage, fmt::format("no ELF in {}: {} is not built", bin.string(), target), "build it first: omv build " + target);
  std::vector<build::SizeReport> reports;
  for (const auto& elf : elfs) {
    auto image = build::read_elf(elf);
    std::vector<build::MapRegion> regions;
    std::string map_name;
    if (auto map = build::find_map_for(elf, build_dir)) {
      regions = build::parse_map_regions(read_text(*map));
      map_name = map->string();
    }
    auto report = build::size_report(image, elf.filename().string(), board, regions);
    report.map = map_name;
    reports.push_back(std::move(report));
  }
  if (ctx.globals.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : reports) list.push_back(report_json(r));
    print_json({{"target", target}, {"bin_dir", bin.string()}, {"elfs", list}});
    return;
  }
  fmt::print("{} ({})\n\n", target, bin.string());
  for (size_t i = 0; i < reports.size(); ++i) {
    if (i) fmt::print("\n");
    print_report(reports[i]);
  }
}

void setup(CLI::App& parent, Context& ctx) {
  auto target = std::make_shared<std::string>();
  auto* cmd = parent.add_subcommand("size", "Flash and RAM use per memory region of a build (reads the ELFs)");
  cmd->add_option("TARGET", *target, "Board TARGET")->required();
  cmd->callback([&ctx, target] { run(ctx, *target); });
}

const Register registered{{"size", "Flash and RAM use per memory region, with bars", setup, Group::build, 33,
                                    "  omv size OPENMV4\n" "  omv size OPENMV4 --json\n"}};

}  // namespace
}  // namespace omv::cli::cmd_size
