#include "image/romfs_config.h"

#include <glob.h>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

#include "core/error.h"
#include "core/numbers.h"
#include "image/file_io.h"

namespace omv::image {
namespace {

using ojson = nlohmann::ordered_json;

[[noreturn]] void bad_config(const std::string& file, const std::string& where, const std::string& what) {
  fail(ErrorKind::bad_file, fmt::format("{}: romfs_config.json: {}: {}", file, where, what));
}

uint64_t parse_size(const ojson& v, const std::string& file, const std::string& where) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_string()) {
    // mkromfs reads it with int(size, 16): hex, with or without 0x.
    std::string s = v.get<std::string>();
    if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s = s.substr(2);
    if (auto n = parse_u64("0x" + s)) return *n;
  }
  bad_config(file, where, fmt::format("expected \"size\" as a hex string like \"0x20000\", found {}", v.dump()));
}

std::string expand(const std::string& path, const RomfsResolveOptions& o, const std::string& file, const std::string& where) {
  std::string out;
  for (size_t i = 0; i < path.size();) {
    if (path[i] != '{') {
      out += path[i++];
      continue;
    }
    const auto close = path.find('}', i);
    if (close == std::string::npos) bad_config(file, where, fmt::format("unclosed '{{' in path \"{}\"", path));
    const std::string name = path.substr(i + 1, close - i - 1);
    if (name == "TOP") {
      if (o.top_dir.empty()) fail(ErrorKind::usage, fmt::format("{}: {} uses {{TOP}}; pass --top-dir or run inside a checkout", file, where));
      out += o.top_dir.string();
    } else if (name == "BUILD") {
      if (o.build_dir.empty()) fail(ErrorKind::usage, fmt::format("{}: {} uses {{BUILD}}; pass --build-dir", file, where));
      out += o.build_dir.string();
    } else {
      bad_config(file, where, fmt::format("unknown variable {{{}}} in path \"{}\" (known: {{TOP}}, {{BUILD}})", name, path));
    }
    i = close + 1;
  }
  return out;
}

std::vector<std::string> glob_sorted(const std::string& pattern) {
  glob_t g{};
  std::vector<std::string> out;
  if (::glob(pattern.c_str(), GLOB_NOSORT, nullptr, &g) == 0)
    for (size_t i = 0; i < g.gl_pathc; ++i) out.emplace_back(g.gl_pathv[i]);
  ::globfree(&g);
  std::sort(out.begin(), out.end());
  return out;
}

RomfsBuildEntry file_entry(const std::filesystem::path& path, uint64_t alignment, const std::string& origin) {
  std::error_code ec;
  auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status))
    fail(ErrorKind::io, fmt::format("{}: {} does not exist", origin, path.string()));
  if (!std::filesystem::is_regular_file(status)) fail(ErrorKind::io, fmt::format("{}: {} is not a regular file", origin, path.string()));
  RomfsBuildEntry e;
  e.name = path.filename().string();
  e.source = path;
  e.size = std::filesystem::file_size(path);
  e.alignment = alignment;
  e.origin = origin;
  return e;
}

}  // namespace

const RomfsPartitionConfig* RomfsConfig::partition(const std::string& key) const {
  for (const auto& p : partitions)
    if (p.key == key) return &p;
  return nullptr;
}

RomfsConfig parse_romfs_config(std::string_view text, const std::string& file) {
  RomfsConfig config;
  config.file = file;
  ojson doc;
  try {
    doc = ojson::parse(text);
  } catch (const ojson::parse_error& e) {
    fail(ErrorKind::bad_file, fmt::format("{}: romfs_config.json: offset {}: {}", file, e.byte, e.what()));
  } catch (const ojson::exception& e) {
    // A number too large for any type is out_of_range, not a parse error.
    fail(ErrorKind::bad_file, fmt::format("{}: romfs_config.json: {}", file, e.what()));
  }
  if (!doc.is_object()) bad_config(file, "top level", "expected an object keyed by partition (\"0\", \"1\", ...)");
  for (const auto& [key, part] : doc.items()) {
    const std::string where = fmt::format("partition \"{}\"", key);
    if (!part.is_object()) bad_config(file, where, "expected an object with \"size\" and \"entries\"");
    RomfsPartitionConfig p;
    p.key = key;
    if (!part.contains("size")) bad_config(file, where, "missing \"size\"");
    p.size = parse_size(part["size"], file, where);
    if (!part.contains("entries") || !part["entries"].is_array()) bad_config(file, where, "expected an \"entries\" array");
    size_t index = 0;
    for (const auto& item : part["entries"]) {
      const std::string ewhere = fmt::format("{} entry {}", where, index);
      if (!item.is_object()) bad_config(file, ewhere, "expected an object");
      RomfsConfigEntry e;
      e.index = index++;
      if (!item.contains("type") || !item["type"].is_string()) bad_config(file, ewhere, "expected a \"type\" string");
      if (!item.contains("path") || !item["path"].is_string()) bad_config(file, ewhere, "expected a \"path\" string");
      e.type = item["type"].get<std::string>();
      e.path = item["path"].get<std::string>();
      if (item.contains("alignment")) {
        if (!item["alignment"].is_number_unsigned()) bad_config(file, ewhere, "expected \"alignment\" as a number");
        e.alignment = item["alignment"].get<uint64_t>();
        if (e.alignment > 1 && (e.alignment & (e.alignment - 1)) != 0)
          bad_config(file, ewhere, fmt::format("alignment {} is not a power of two", e.alignment));
      }
      if (item.contains("enabled")) {
        if (!item["enabled"].is_boolean()) bad_config(file, ewhere, "expected \"enabled\" as true or false");
        e.enabled = item["enabled"].get<bool>();
      }
      if (e.type == "haar") e.needs = "haar2c";
      else if (e.type == "tflite" && item.contains("profile")) e.needs = "stedgeai";
      else if (e.type == "tflite" && item.contains("optimize")) e.needs = "vela";
      p.entries.push_back(std::move(e));
    }
    config.partitions.push_back(std::move(p));
  }
  return config;
}

RomfsConfig read_romfs_config(const std::filesystem::path& path) {
  auto bytes = read_file(path);
  return parse_romfs_config(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()), path.string());
}

ResolvedRomfs resolve_romfs_partition(const RomfsConfig& config, const RomfsPartitionConfig& partition,
                                      const RomfsResolveOptions& options) {
  ResolvedRomfs out;
  for (const auto& e : partition.entries) {
    if (!e.enabled) continue;
    const std::string origin = fmt::format("partition {} entry {} ({} {})", partition.key, e.index, e.type, e.path);
    const std::string where = fmt::format("partition \"{}\" entry {}", partition.key, e.index);
    const std::string pattern = expand(e.path, options, config.file, where);
    std::vector<std::string> paths;
    if (pattern.find_first_of("*?[") != std::string::npos) {
      paths = glob_sorted(pattern);
      if (paths.empty()) fail(ErrorKind::io, fmt::format("{}: {} matches no file", origin, pattern));
    } else {
      paths.push_back(pattern);
    }
    for (const auto& path : paths) {
      if (!e.needs.empty() && !(options.raw_models && e.needs != "haar2c")) {
        out.unconvertible.push_back({origin, e.needs});
        continue;
      }
      out.files.push_back(file_entry(path, e.alignment, origin));
      if (e.type == "tflite") {
        auto labels = std::filesystem::path(path).replace_extension(".txt");
        std::error_code ec;
        if (std::filesystem::is_regular_file(labels, ec))
          out.files.push_back(file_entry(labels, 4, origin + " labels"));
      }
    }
  }
  return out;
}

}  // namespace omv::image
