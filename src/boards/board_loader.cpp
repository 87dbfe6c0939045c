#include "boards/board_loader.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>

#include "core/error.h"

namespace omv::boards {
namespace {

using nlohmann::json;

// Where we are in the file, for error messages: "boards/X.json: X: partitions[2].start".
class Cursor {
 public:
  Cursor(std::string file, std::string board) : file_(std::move(file)), board_(std::move(board)) {}
  [[noreturn]] void fail(const std::string& field, const std::string& what) const {
    omv::fail(ErrorKind::bad_board_data,
              fmt::format("{}: {}: {}: {}", file_, board_.empty() ? "?" : board_, field, what),
              "fix the board file, or run without --boards to use the built-in database");
  }
  void set_board(std::string b) { board_ = std::move(b); }

 private:
  std::string file_, board_;
};

const json* find(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

std::string get_string(const Cursor& c, const json& obj, const std::string& path, const char* key,
                       bool required = true, std::string fallback = {}) {
  const json* v = find(obj, key);
  if (!v) {
    if (required) c.fail(path + key, "missing field");
    return fallback;
  }
  if (!v->is_string()) c.fail(path + key, "expected a string");
  return v->get<std::string>();
}

uint64_t to_number(const Cursor& c, const json& v, const std::string& field) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer() && v.get<int64_t>() >= 0) return static_cast<uint64_t>(v.get<int64_t>());
  if (v.is_string()) {
    if (auto n = parse_u64(v.get<std::string>())) return *n;
    c.fail(field, fmt::format("bad number '{}'", v.get<std::string>()));
  }
  c.fail(field, "expected a number");
}

uint64_t get_number(const Cursor& c, const json& obj, const std::string& path, const char* key) {
  const json* v = find(obj, key);
  if (!v) c.fail(path + key, "missing field");
  return to_number(c, *v, path + key);
}

std::optional<uint64_t> get_optional_number(const Cursor& c, const json& obj, const std::string& path,
                                            const char* key) {
  const json* v = find(obj, key);
  if (!v || v->is_null()) return std::nullopt;
  return to_number(c, *v, path + key);
}

double get_double(const Cursor& c, const json& obj, const std::string& path, const char* key) {
  const json* v = find(obj, key);
  if (!v) return 0.0;
  if (!v->is_number()) c.fail(path + key, "expected a number");
  return v->get<double>();
}

bool get_bool(const Cursor& c, const json& obj, const std::string& path, const char* key, bool fallback) {
  const json* v = find(obj, key);
  if (!v) return fallback;
  if (!v->is_boolean()) c.fail(path + key, "expected true or false");
  return v->get<bool>();
}

const json& get_array(const Cursor& c, const json& obj, const std::string& path, const char* key) {
  const json* v = find(obj, key);
  if (!v) c.fail(path + key, "missing field");
  if (!v->is_array()) c.fail(path + key, "expected an array");
  return *v;
}

Memory parse_memory(const Cursor& c, const json& m, const std::string& path) {
  if (!m.is_object()) c.fail(path, "expected an object");
  Memory mem;
  mem.name = get_string(c, m, path, "name");
  mem.kind = get_string(c, m, path, "kind");
  mem.base = get_number(c, m, path, "base");
  mem.size = get_number(c, m, path, "size");
  if (mem.size == 0) c.fail(path + "size", "must not be zero");
  mem.xip_base = get_optional_number(c, m, path, "xip_base");
  mem.program_unit = static_cast<uint32_t>(get_optional_number(c, m, path, "program_unit").value_or(4));
  if (mem.program_unit == 0) c.fail(path + "program_unit", "must not be zero");
  mem.dfuse_layout = get_string(c, m, path, "dfuse_layout", false);
  if (auto alt = get_optional_number(c, m, path, "dfuse_alt")) {
    if (*alt > 255) c.fail(path + "dfuse_alt", "expected an alt number 0-255");
    mem.dfuse_alt = static_cast<int>(*alt);
  }
  if (const json* layout = find(m, "erase_layout")) {
    if (!layout->is_array()) c.fail(path + "erase_layout", "expected an array of {count, size}");
    uint64_t total = 0;
    for (size_t i = 0; i < layout->size(); ++i) {
      std::string p = fmt::format("{}erase_layout[{}].", path, i);
      EraseRun run{get_number(c, (*layout)[i], p, "count"), get_number(c, (*layout)[i], p, "size")};
      if (run.count == 0 || run.size == 0) c.fail(p + "size", "count and size must be non-zero");
      total += run.count * run.size;
      mem.erase_layout.push_back(run);
    }
    if (!mem.erase_layout.empty() && total != mem.size)
      c.fail(path + "erase_layout", fmt::format("covers {} bytes but the memory has {}", total, mem.size));
  }
  if (const json* t = find(m, "timing")) {
    std::string p = path + "timing.";
    mem.timing.erase_typ_ms = get_double(c, *t, p, "erase_typ_ms");
    mem.timing.erase_max_ms = get_double(c, *t, p, "erase_max_ms");
    mem.timing.erase_ms_per_kib = get_double(c, *t, p, "erase_ms_per_kib");
    mem.timing.program_us_per_unit = get_double(c, *t, p, "program_us_per_unit");
    mem.timing.source = get_string(c, *t, p, "source");
    if (mem.timing.erase_max_ms < mem.timing.erase_typ_ms)
      c.fail(p + "erase_max_ms", "smaller than erase_typ_ms");
  } else {
    c.fail(path + "timing", "missing field");
  }
  return mem;
}

Partition parse_partition(const Cursor& c, const json& p, const std::string& path) {
  if (!p.is_object()) c.fail(path, "expected an object");
  Partition part;
  part.name = get_string(c, p, path, "name");
  if (const json* alt = find(p, "alt"); alt && !alt->is_null()) {
    if (!alt->is_number_integer() || alt->get<int64_t>() < 0 || alt->get<int64_t>() > 255)
      c.fail(path + "alt", "expected an alt number 0-255 or null");
    part.alt = alt->get<int>();
  }
  part.memory = get_string(c, p, path, "memory");
  part.start = get_number(c, p, path, "start");
  part.end = get_number(c, p, path, "end");
  if (part.end <= part.start) c.fail(path + "end", "must be greater than start");
  part.read_only = get_bool(c, p, path, "read_only", false);
  part.role = get_string(c, p, path, "role");
  part.note = get_string(c, p, path, "note", false);
  return part;
}

}  // namespace

Board load_board(const std::string& file_name, const std::string& json_text) {
  Cursor c(file_name, "");
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::exception& e) {
    // parse_error, or out_of_range for a number too large for any type
    c.fail("(file)", fmt::format("not valid JSON: {}", e.what()));
  }
  if (!doc.is_object()) c.fail("(file)", "expected a JSON object");
  Board b;
  b.source = file_name;
  b.target = get_string(c, doc, "", "target");
  c.set_board(b.target);
  b.name = get_string(c, doc, "", "name");
  b.mcu = get_string(c, doc, "", "mcu");
  b.port = get_string(c, doc, "", "port");
  b.core = get_string(c, doc, "", "core");
  b.supported = get_bool(c, doc, "", "supported", true);
  b.unsupported_reason = get_string(c, doc, "", "unsupported_reason", false);
  if (!b.supported && b.unsupported_reason.empty()) c.fail("unsupported_reason", "missing for an unsupported board");
  std::string type = get_string(c, doc, "", "bootloader_type");
  auto bt = bootloader_type_from_string(type);
  if (!bt) c.fail("bootloader_type", fmt::format("unknown bootloader type '{}'", type));
  b.bootloader_type = *bt;
  b.usb_speed = get_string(c, doc, "", "usb_speed", false, "full");
  if (b.usb_speed != "full" && b.usb_speed != "high") c.fail("usb_speed", "expected \"full\" or \"high\"");
  b.dfu_transfer_size = static_cast<uint32_t>(get_optional_number(c, doc, "", "dfu_transfer_size").value_or(0));
  b.bootloader_magic_address = get_optional_number(c, doc, "", "bootloader_magic_address");

  if (const json* usb = find(doc, "usb")) {
    if (!usb->is_object()) c.fail("usb", "expected an object of mode -> \"VVVV:PPPP\"");
    for (auto it = usb->begin(); it != usb->end(); ++it) {
      if (!it.value().is_string()) c.fail("usb." + it.key(), "expected \"VVVV:PPPP\"");
      auto id = parse_usb_id(it.value().get<std::string>());
      if (!id) c.fail("usb." + it.key(), fmt::format("bad USB id '{}'", it.value().get<std::string>()));
      b.usb[it.key()] = *id;
    }
  } else {
    c.fail("usb", "missing field");
  }

  const json& memories = get_array(c, doc, "", "memories");
  for (size_t i = 0; i < memories.size(); ++i)
    b.memories.push_back(parse_memory(c, memories[i], fmt::format("memories[{}].", i)));
  const json& partitions = get_array(c, doc, "", "partitions");
  for (size_t i = 0; i < partitions.size(); ++i)
    b.partitions.push_back(parse_partition(c, partitions[i], fmt::format("partitions[{}].", i)));

  if (const json* files = find(doc, "files")) {
    if (!files->is_array()) c.fail("files", "expected an array");
    for (size_t i = 0; i < files->size(); ++i) {
      std::string p = fmt::format("files[{}].", i);
      const json& f = (*files)[i];
      BuildFile bf;
      bf.file = get_string(c, f, p, "file");
      bf.partition = get_string(c, f, p, "partition");
      bf.purpose = get_string(c, f, p, "purpose", false);
      bf.flash_by_default = get_bool(c, f, p, "flash_by_default", true);
      bf.address = get_optional_number(c, f, p, "address");
      b.files.push_back(bf);
    }
  }
  if (const json* e = find(doc, "erase_fs")) {
    b.erase_fs.method = get_string(c, *e, "erase_fs.", "method");
    static const std::set<std::string> methods = {"dfu_zero_block", "address_zero_block", "flash_erase_region",
                                                  "none"};
    if (!methods.contains(b.erase_fs.method))
      c.fail("erase_fs.method", fmt::format("unknown method '{}'", b.erase_fs.method));
    if (const json* parts = find(*e, "partitions")) {
      if (!parts->is_array()) c.fail("erase_fs.partitions", "expected an array of partition names");
      for (const auto& name : *parts) {
        if (!name.is_string()) c.fail("erase_fs.partitions", "expected partition names");
        b.erase_fs.partitions.push_back(name.get<std::string>());
      }
    }
    b.erase_fs.bytes = get_optional_number(c, *e, "erase_fs.", "bytes").value_or(4096);
    b.erase_fs.note = get_string(c, *e, "erase_fs.", "note", false);
  } else {
    c.fail("erase_fs", "missing field");
  }
  if (const json* d = find(doc, "debug")) {
    b.debug.jlink_device = get_string(c, *d, "debug.", "jlink_device", false);
    b.debug.server = get_string(c, *d, "debug.", "server");
    static const std::set<std::string> servers = {"jlink", "stlink", "qemu", "none"};
    if (!servers.contains(b.debug.server)) c.fail("debug.server", fmt::format("unknown server '{}'", b.debug.server));
    b.debug.elf = get_string(c, *d, "debug.", "elf", false, "firmware.elf");
    b.debug.svd = get_string(c, *d, "debug.", "svd", false);
    b.debug.stlink_external_loader = get_string(c, *d, "debug.", "stlink_external_loader", false);
    b.debug.qemu_machine = get_string(c, *d, "debug.", "qemu_machine", false);
    b.debug.attach_by_default = get_bool(c, *d, "debug.", "attach_by_default", false);
    auto ap = get_optional_number(c, *d, "debug.", "access_port").value_or(0);
    if (ap > 255) c.fail("debug.access_port", fmt::format("{} is not an access port number (0-255)", ap));
    b.debug.access_port = static_cast<int>(ap);
  } else {
    c.fail("debug", "missing field");
  }
  if (const json* d = find(doc, "deploy")) {
    if (!d->is_object()) c.fail("deploy", "expected an object");
    b.deploy.probe = get_string(c, *d, "deploy.", "probe");
    static const std::set<std::string> probes = {"stlink", "jlink", "gdb", "isp"};
    if (!probes.contains(b.deploy.probe))
      c.fail("deploy.probe", fmt::format("unknown probe '{}' (stlink, jlink, gdb or isp)", b.deploy.probe));
    if (b.deploy.probe == "jlink" && b.debug.jlink_device.empty())
      c.fail("deploy.probe", "jlink needs debug.jlink_device");
    if (b.deploy.probe == "isp" && !b.usb.contains("isp")) c.fail("deploy.probe", "isp needs a usb.isp id");
    b.deploy.note = get_string(c, *d, "deploy.", "note", false);
  }
  if (const json* loader = find(doc, "loader")) {
    if (!loader->is_object()) c.fail("loader", "expected an object of name -> value");
    for (auto it = loader->begin(); it != loader->end(); ++it) {
      if (it.value().is_string()) b.loader[it.key()] = it.value().get<std::string>();
      else if (it.value().is_number_unsigned()) b.loader[it.key()] = std::to_string(it.value().get<uint64_t>());
      else c.fail("loader." + it.key(), "expected a string or a non-negative number");
    }
  }
  if (const json* notes = find(doc, "notes")) {
    if (!notes->is_array()) c.fail("notes", "expected an array of strings");
    for (const auto& n : *notes) {
      if (!n.is_string()) c.fail("notes", "expected strings");
      b.notes.push_back(n.get<std::string>());
    }
  }
  validate_board(b);
  return b;
}

void validate_board(const Board& b) {
  Cursor c(b.source, b.target);
  std::set<std::string> memory_names;
  for (const auto& m : b.memories)
    if (!memory_names.insert(m.name).second) c.fail("memories", fmt::format("memory '{}' listed twice", m.name));
  std::set<int> alts;
  std::set<std::string> names;
  for (size_t i = 0; i < b.partitions.size(); ++i) {
    const auto& p = b.partitions[i];
    std::string path = fmt::format("partitions[{}] ({})", i, p.name);
    const Memory* m = b.memory(p.memory);
    if (!m) c.fail(path + ".memory", fmt::format("no memory named '{}'", p.memory));
    if (p.start < m->base || p.end > m->end())
      c.fail(path, fmt::format("{}-{} lies outside memory '{}' ({}-{})", hex32(p.start), hex32(p.end), m->name,
                               hex32(m->base), hex32(m->end())));
    if (p.alt && !alts.insert(*p.alt).second) c.fail(path + ".alt", fmt::format("alt {} used twice", *p.alt));
    if (!names.insert(p.name).second) c.fail(path + ".name", "partition name used twice");
    for (size_t j = 0; j < i; ++j) {
      const auto& q = b.partitions[j];
      if (q.memory != p.memory || p.start >= q.end || q.start >= p.end) continue;
      // A partition may contain another (OPENMV4P's SPI_FLASH spans all of QSPI, ROMFS0 is inside it);
      // only a partial overlap is a mistake.
      bool nested = (p.start >= q.start && p.end <= q.end) || (q.start >= p.start && q.end <= p.end);
      if (!nested)
        c.fail(path, fmt::format("overlaps partition '{}' ({}-{})", q.name, hex32(q.start), hex32(q.end)));
    }
  }
  for (size_t i = 0; i < b.files.size(); ++i) {
    if (!b.partition(b.files[i].partition))
      c.fail(fmt::format("files[{}].partition", i), fmt::format("no partition named '{}'", b.files[i].partition));
  }
  for (const auto& name : b.erase_fs.partitions)
    if (!b.partition(name)) c.fail("erase_fs.partitions", fmt::format("no partition named '{}'", name));
}

}  // namespace omv::boards
