// omv romfs build | ls | extract: MicroPython ROMFS images (romfs<N>.img) as OpenMV builds them.
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "cli/command.h"
#include "cli/table.h"
#include "core/error.h"
#include "core/numbers.h"
#include "core/text.h"
#include "image/file_io.h"
#include "image/romfs.h"
#include "image/romfs_builder.h"
#include "image/romfs_config.h"
#include "image/romfs_extract.h"

namespace omv::cli::cmd_romfs {
namespace {

using nlohmann::json;
namespace fs = std::filesystem;

struct BuildOptions {
  std::string dir, config, partition, top_dir, build_dir, out, size, board;
  std::vector<std::string> align;
  bool skip_unconvertible = false;
  bool raw_models = false;
};

// --align N (every file) and --align EXT=N (files ending in .EXT), like the IDE's alignment rules.
struct AlignRules {
  uint64_t all = 4;
  std::map<std::string, uint64_t> by_ext;

  uint64_t of(const std::string& name) const {
    const auto dot = name.rfind('.');
    if (dot != std::string::npos)
      if (auto it = by_ext.find(to_lower(name.substr(dot + 1))); it != by_ext.end()) return it->second;
    return all;
  }
};

AlignRules parse_align(const std::vector<std::string>& rules) {
  AlignRules out;
  for (const auto& r : rules) {
    const auto eq = r.find('=');
    auto value = parse_u64(eq == std::string::npos ? r : r.substr(eq + 1));
    if (!value || (*value > 1 && (*value & (*value - 1)) != 0))
      fail(ErrorKind::usage, fmt::format("--align {}: the alignment must be a power of two", r), "e.g. --align 4 --align tflite=32");
    if (eq == std::string::npos) out.all = *value;
    else {
      std::string ext = to_lower(r.substr(0, eq));
      if (!ext.empty() && ext[0] == '.') ext = ext.substr(1);
      out.by_ext[ext] = *value;
    }
  }
  return out;
}

std::vector<image::RomfsBuildEntry> scan_dir(const fs::path& dir, const AlignRules& align, int depth) {
  if (depth >= image::kRomfsMaxDepth) fail(ErrorKind::usage, fmt::format("{}: folders nested deeper than {} (a symbolic link loop?)", dir.string(), image::kRomfsMaxDepth));
  std::vector<fs::path> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) names.push_back(it->path());
  if (ec) fail(ErrorKind::io, fmt::format("cannot list {}: {}", dir.string(), ec.message()));
  std::sort(names.begin(), names.end(), [](const fs::path& a, const fs::path& b) { return a.filename().string() < b.filename().string(); });
  std::vector<image::RomfsBuildEntry> out;
  for (const auto& path : names) {
    image::RomfsBuildEntry e;
    e.name = path.filename().string();
    e.origin = path.string();
    auto st = fs::status(path, ec);
    if (fs::is_directory(st)) {
      e.directory = true;
      e.children = scan_dir(path, align, depth + 1);
    } else if (fs::is_regular_file(st)) {
      e.source = path;
      e.size = fs::file_size(path);
      e.alignment = align.of(e.name);
    } else {
      fail(ErrorKind::usage, fmt::format("{} is neither a file nor a folder", path.string()));
    }
    out.push_back(std::move(e));
  }
  return out;
}

// The most the image may be, and whose limit that is (for the overflow message).
struct Limit {
  uint64_t size = 0;
  std::string what;
};

void write_image(Context& ctx, const std::vector<image::RomfsBuildEntry>& entries, const fs::path& out, std::optional<Limit> limit,
                 const std::string& label) {
  auto plan = image::plan_romfs(entries);
  if (limit && plan.image_size > limit->size)
    fail(ErrorKind::refused,
         fmt::format("{}: the image is {} bytes and overflows {} ({} bytes, {}) by {} bytes; nothing was written", out.string(),
                     plan.image_size, limit->what, limit->size, human_size(limit->size), plan.image_size - limit->size),
         "leave out files, or disable entries in romfs_config.json");
  image::OutputFile file(out);
  image::write_romfs(entries, plan, [&](std::span<const uint8_t> bytes) { file.write(bytes); });
  file.commit();
  json files = json::array();
  for (const auto& e : plan.entries)
    if (!e.directory) files.push_back({{"path", image::printable(e.path)}, {"size", e.size}, {"offset", e.data_offset}, {"alignment", e.alignment}});
  json data = {{"output", out.string()}, {"size", plan.image_size}, {"files", files}};
  std::string usage;
  if (limit) {
    data["limit"] = limit->size;
    usage = fmt::format(" of {} ({:.1f}%)", limit->size, 100.0 * static_cast<double>(plan.image_size) / static_cast<double>(limit->size));
  }
  ctx.reporter().result(fmt::format("{}{}: {} bytes{}, {} file(s)", out.string(), label, plan.image_size, usage, files.size()), data);
}

std::optional<Limit> min_limit(std::optional<Limit> a, std::optional<Limit> b) {
  if (!a) return b;
  if (!b) return a;
  return a->size <= b->size ? a : b;
}

std::optional<Limit> board_limit(Context& ctx, const BuildOptions& opt, const std::string& index) {
  if (opt.board.empty()) return std::nullopt;
  const auto& board = ctx.boards().get(opt.board);
  const auto* p = board.partition_by_role("romfs" + index);
  if (!p) fail(ErrorKind::unsupported, fmt::format("{} has no ROMFS partition {} (role romfs{})", board.target, index, index));
  return Limit{p->size(), fmt::format("partition {} of {}", p->name, board.target)};
}

std::optional<Limit> size_limit(const BuildOptions& opt) {
  if (opt.size.empty()) return std::nullopt;
  auto v = parse_u64(opt.size);
  if (!v) fail(ErrorKind::usage, fmt::format("--size {} is not a size", opt.size), "e.g. --size 0x20000 or --size 128K");
  return Limit{*v, "the --size limit"};
}

void build_dir(Context& ctx, const BuildOptions& opt) {
  if (!fs::is_directory(opt.dir)) fail(ErrorKind::usage, fmt::format("{} is not a folder", opt.dir));
  auto entries = scan_dir(opt.dir, parse_align(opt.align), 0);
  const std::string index = opt.partition.empty() ? "0" : opt.partition;
  write_image(ctx, entries, opt.out, min_limit(size_limit(opt), board_limit(ctx, opt, index)), "");
}

void build_config(Context& ctx, const BuildOptions& opt) {
  if (!opt.align.empty()) fail(ErrorKind::usage, "--align applies to a folder; romfs_config.json gives each entry's alignment");
  auto config = image::read_romfs_config(opt.config);
  image::RomfsResolveOptions resolve;
  resolve.raw_models = opt.raw_models;
  resolve.build_dir = opt.build_dir;
  if (!opt.top_dir.empty()) resolve.top_dir = opt.top_dir;
  else if (const auto* co = ctx.checkout()) resolve.top_dir = co->root;
  else if (auto boards = fs::absolute(opt.config).parent_path().parent_path(); boards.filename() == "boards")
    resolve.top_dir = boards.parent_path();

  std::vector<const image::RomfsPartitionConfig*> parts;
  if (!opt.partition.empty()) {
    const auto* p = config.partition(opt.partition);
    if (!p) fail(ErrorKind::usage, fmt::format("{} has no partition \"{}\"", opt.config, opt.partition));
    parts.push_back(p);
  } else {
    for (const auto& p : config.partitions) parts.push_back(&p);
  }
  if (parts.empty()) fail(ErrorKind::bad_file, fmt::format("{}: romfs_config.json: no partitions", opt.config));
  const bool into_dir = fs::is_directory(opt.out) || opt.out.back() == '/';
  if (parts.size() > 1 && !into_dir)
    fail(ErrorKind::usage, fmt::format("{} has {} partitions: pass --partition N, or an output folder for romfs<N>.img", opt.config, parts.size()));

  // Resolve every partition first: nothing is written when any entry cannot be converted.
  std::vector<image::ResolvedRomfs> resolved;
  std::vector<std::string> problems;
  for (const auto* p : parts) {
    resolved.push_back(image::resolve_romfs_partition(config, *p, resolve));
    for (const auto& u : resolved.back().unconvertible) problems.push_back(fmt::format("{} needs {}", u.entry, u.needs));
  }
  if (!problems.empty()) {
    if (!opt.skip_unconvertible)
      fail(ErrorKind::unsupported,
           fmt::format("{}: {} entr{} cannot be converted here: {}", opt.config, problems.size(), problems.size() == 1 ? "y" : "ies", join(problems, "; ")),
           "build them with the firmware's make (mkromfs.py runs vela / stedgeai / haar2c), or pass --skip-unconvertible to leave them out");
    for (const auto& p : problems) ctx.reporter().warn("left out: " + p);
  }
  if (into_dir) fs::create_directories(opt.out);
  for (size_t i = 0; i < parts.size(); ++i) {
    const auto* p = parts[i];
    const fs::path out = into_dir ? fs::path(opt.out) / fmt::format("romfs{}.img", p->key) : fs::path(opt.out);
    Limit config_limit{p->size, fmt::format("partition {} of {} (size 0x{:X})", p->key, opt.config, p->size)};
    auto limit = min_limit(min_limit(config_limit, size_limit(opt)), board_limit(ctx, opt, p->key));
    write_image(ctx, resolved[i].files, out, limit, fmt::format(" (partition {})", p->key));
  }
}

struct FileOptions {
  std::string image, dir;
};

void run_ls(Context& ctx, const FileOptions& opt) {
  auto bytes = image::read_file(opt.image);
  image::ByteView view(bytes, {opt.image, "ROMFS"});
  auto romfs = image::parse_romfs(view);
  if (ctx.globals.json) {
    json entries = json::array();
    for (const auto& e : romfs.entries) {
      json x = {{"path", image::printable(e.path)}, {"type", e.directory ? "dir" : "file"}};
      if (!e.directory) {
        x["size"] = e.size;
        x["offset"] = e.data_offset;
        x["alignment"] = image::alignment_of(e.data_offset);
      }
      entries.push_back(x);
    }
    print_json({{"file", opt.image}, {"image_size", romfs.image_size()}, {"entries", entries}, {"warnings", romfs.warnings}});
    return;
  }
  Table t({"PATH", "SIZE", "OFFSET", "ALIGN"});
  for (const auto& e : romfs.entries) {
    if (e.directory) t.add({image::printable(e.path) + "/", "", "", ""});
    else t.add({image::printable(e.path), std::to_string(e.size), hex32(e.data_offset), std::to_string(image::alignment_of(e.data_offset))});
  }
  std::fputs(t.render().c_str(), stdout);
  for (const auto& w : romfs.warnings) ctx.reporter().warn(w);
}

void run_extract(Context& ctx, const FileOptions& opt) {
  auto bytes = image::read_file(opt.image);
  image::ByteView view(bytes, {opt.image, "ROMFS"});
  auto romfs = image::parse_romfs(view);
  auto counts = image::extract_romfs(view, romfs, opt.dir);
  for (const auto& w : romfs.warnings) ctx.reporter().warn(w);
  ctx.reporter().result(fmt::format("{}: {} file(s), {} folder(s), {} bytes", opt.dir, counts.files, counts.directories, counts.bytes),
                        {{"output", opt.dir}, {"files", counts.files}, {"directories", counts.directories}, {"bytes", counts.bytes}});
}

void setup(CLI::App& parent, Context& ctx) {
  auto* romfs = parent.add_subcommand("romfs", "MicroPython ROMFS images (romfs<N>.img)");
  romfs->require_subcommand(1);

  auto b = std::make_shared<BuildOptions>();
  auto* build = romfs->add_subcommand("build", "Build a ROMFS image from a folder or from romfs_config.json (as mkromfs.py)");
  build->add_option("DIR", b->dir, "Folder whose files (and subfolders) go into the image");
  build->add_option("--config", b->config, "boards/<TARGET>/romfs_config.json");
  build->add_option("--partition", b->partition, "ROMFS partition index (the config's key; with --board, partition romfs<N>)");
  build->add_option("--top-dir", b->top_dir, "{TOP} in config paths (default: the checkout)");
  build->add_option("--build-dir", b->build_dir, "{BUILD} in config paths");
  build->add_option("-o,--output", b->out, "romfs<N>.img to write (a folder when building several partitions)")->required();
  build->add_option("--size", b->size, "Refuse an image larger than this (e.g. 0x20000, 128K)");
  build->add_option("--board", b->board, "Refuse an image larger than the board's ROMFS partition");
  build->add_option("--align", b->align, "Data alignment: N for every file (default 4) or EXT=N, e.g. tflite=32 (folders only)");
  build->add_flag("--skip-unconvertible", b->skip_unconvertible, "Leave out entries that need vela/stedgeai/haar2c instead of failing");
  build->add_flag("--raw-models", b->raw_models, "Copy models that name a Vela/ST Edge AI setting as they are");
  build->callback([&ctx, b] {
    if (b->dir.empty() == b->config.empty()) fail(ErrorKind::usage, "give either a folder or --config romfs_config.json");
    if (!b->dir.empty()) build_dir(ctx, *b);
    else build_config(ctx, *b);
  });

  auto ls = std::make_shared<FileOptions>();
  auto* l = romfs->add_subcommand("ls", "List the files of a ROMFS image with size, offset and alignment");
  l->add_option("IMAGE", ls->image, "romfs<N>.img")->required();
  l->callback([&ctx, ls] { run_ls(ctx, *ls); });

  auto ex = std::make_shared<FileOptions>();
  auto* x = romfs->add_subcommand("extract", "Extract a ROMFS image into a folder");
  x->add_option("IMAGE", ex->image, "romfs<N>.img")->required();
  x->add_option("DIR", ex->dir, "Folder to extract into")->required();
  x->callback([&ctx, ex] { run_extract(ctx, *ex); });
}

const Register registered{{"romfs", "ROMFS images: build (folder or romfs_config.json), ls, extract", setup, Group::files, 43,
                                    "  omv romfs build models/ -o romfs.img\n" "  omv romfs ls romfs.img\n"}};

}  // namespace
}  // namespace omv::cli::cmd_romfs
