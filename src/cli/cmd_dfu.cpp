// omv dfu pack | dfu suffix add|check|remove: DfuSe files and DFU suffixes, compatible with
// dfu-util's dfuse-pack and dfu-suffix.
#include <fmt/format.h>

#include <cstring>
#include <memory>
#include <span>

#include "cli/command.h"
#include "core/error.h"
#include "core/numbers.h"
#include "image/dfu_suffix.h"
#include "image/dfuse.h"
#include "image/elf_to_bin.h"
#include "image/file_io.h"

namespace omv::cli::cmd_dfu {
namespace {

using nlohmann::json;

// USB IDs and BCD numbers are hexadecimal, with or without 0x, as dfu-util and lsusb print them.
uint16_t parse_hex16(const std::string& text, const char* option) {
  std::string digits = text;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) digits = digits.substr(2);
  auto v = parse_u64("0x" + digits);
  if (digits.empty() || !v || *v > 0xFFFF)
    fail(ErrorKind::usage, fmt::format("{} {} is not a 16-bit hexadecimal number", option, text), fmt::format("e.g. {} 0483", option));
  return static_cast<uint16_t>(*v);
}

struct PackOptions {
  std::vector<std::string> inputs;
  std::string out, vid = "0483", pid = "DF11", bcd = "0";
  int alt = 0;
};

// One input as dfuse-pack's -b ADDRESS[@ALT]:FILE, or an ELF whose load image gives the elements.
struct PackInput {
  uint32_t address = 0;
  int alt = 0;
  std::string file;
  std::shared_ptr<image::InputFile> input;  // a raw binary, mapped
  std::span<const uint8_t> bytes;
  bool elf = false;
  std::vector<image::Segment> segments;  // from an ELF
};

PackInput parse_input(const std::string& arg, int default_alt) {
  PackInput in;
  in.alt = default_alt;
  const auto colon = arg.find(':');
  if (colon != std::string::npos) {
    std::string address = arg.substr(0, colon);
    const auto at = address.find('@');
    if (at != std::string::npos) {
      auto alt = parse_u64(address.substr(at + 1));
      if (!alt || *alt > 255) fail(ErrorKind::usage, fmt::format("alternate setting in {} is not 0..255", arg));
      in.alt = static_cast<int>(*alt);
      address = address.substr(0, at);
    }
    if (auto a = parse_u64(address)) {
      in.address = static_cast<uint32_t>(*a & 0xFFFFFFFFu);  // dfuse-pack masks to 32 bits
      in.file = arg.substr(colon + 1);
      in.input = std::make_shared<image::InputFile>(in.file);
      in.bytes = in.input->bytes();
      if (image::has_dfu_signature(in.bytes)) {
        auto found = image::find_dfu_suffix(image::ByteView(in.bytes, {in.file, "DFU suffix"}));
        if (found && found->crc_ok())
          fail(ErrorKind::refused, fmt::format("{} has a DFU suffix; it would end up inside the element", in.file),
               fmt::format("remove it first: omv dfu suffix remove {}", in.file));
      }
      return in;
    }
  }
  in.file = arg;
  auto elf_bytes = image::read_file(arg);
  if (!image::looks_like_elf(elf_bytes))
    fail(ErrorKind::usage, fmt::format("{} is neither ADDRESS:FILE nor an ELF file", arg), "raw binaries need an address: 0x08040000:firmware.bin");
  in.elf = true;
  in.segments = image::elf_load_segments(image::parse_elf(std::move(elf_bytes), arg));
  for (const auto& s : in.segments)
    if (s.end() > 0x100000000ull) fail(ErrorKind::usage, fmt::format("{}: DfuSe addresses are 32-bit; data at {}", arg, hex32(s.address)));
  return in;
}

void run_pack(Context& ctx, const PackOptions& opt) {
  std::vector<PackInput> inputs;
  for (const auto& arg : opt.inputs) inputs.push_back(parse_input(arg, opt.alt));
  // Consecutive inputs with the same alt share a target, as in dfuse-pack.
  std::vector<image::DfusePackTarget> targets;
  for (const auto& in : inputs) {
    if (targets.empty() || targets.back().alt != in.alt) {
      targets.emplace_back();
      targets.back().alt = static_cast<uint8_t>(in.alt);
    }
    if (!in.elf) targets.back().elements.push_back({in.address, in.bytes});
    for (const auto& s : in.segments) targets.back().elements.push_back({static_cast<uint32_t>(s.address), s.data});
  }
  image::DfuSuffix suffix;
  suffix.vendor = parse_hex16(opt.vid, "--vid");
  suffix.product = parse_hex16(opt.pid, "--pid");
  suffix.bcd_device = parse_hex16(opt.bcd, "--bcd");
  image::OutputFile file(opt.out);
  const uint64_t size = image::write_dfuse(targets, suffix, [&](std::span<const uint8_t> bytes) { file.write(bytes); });
  file.commit();
  json elements = json::array();
  size_t count = 0;
  for (const auto& t : targets)
    for (const auto& e : t.elements) {
      elements.push_back({{"alt", t.alt}, {"address", e.address}, {"size", e.data.size()}});
      ++count;
    }
  ctx.reporter().result(fmt::format("{}: {} bytes, {} target(s), {} element(s), {:04X}:{:04X}", opt.out, size, targets.size(),
                                    count, suffix.vendor, suffix.product),
                        {{"output", opt.out}, {"size", size}, {"elements", elements}});
}

struct SuffixOptions {
  std::string file, out, vid = "FFFF", pid = "FFFF", bcd = "FFFF", spec;
};

json suffix_json(const std::string& file, const image::FoundSuffix& s) {
  return {{"file", file},          {"vendor", s.suffix.vendor}, {"product", s.suffix.product}, {"bcd_device", s.suffix.bcd_device},
          {"bcd_dfu", s.suffix.bcd_dfu}, {"length", s.suffix.length}, {"crc", s.suffix.crc},       {"crc_ok", s.crc_ok()}};
}

// The file's valid suffix, or Error{bad_file} / Error{checksum}.
image::FoundSuffix require_suffix(const std::string& file, const std::vector<uint8_t>& bytes) {
  image::ByteView view(bytes, {file, "DFU suffix"});
  auto found = image::find_dfu_suffix(view);
  if (!found) {
    const uint64_t at = bytes.size() >= image::kDfuSuffixSize ? bytes.size() - 8 : bytes.size();
    view.fail(at, bytes.size() < image::kDfuSuffixSize ? fmt::format("expected a 16-byte DFU suffix, the file has only {} bytes", bytes.size())
                                                        : "expected the DFU suffix signature \"UFD\"; the file has no DFU suffix");
  }
  if (!found->crc_ok())
    fail(ErrorKind::checksum,
         fmt::format("{}: DFU suffix: offset {}: dwCRC is 0x{:08X} but the file's CRC is 0x{:08X}", file, bytes.size() - 4,
                     found->suffix.crc, found->computed_crc),
         "the file was changed after the suffix was added; remove and add it again");
  return *found;
}

void run_suffix_add(Context& ctx, const SuffixOptions& opt) {
  auto bytes = image::read_file(opt.file);
  if (image::has_dfu_signature(bytes)) {
    image::ByteView view(bytes, {opt.file, "DFU suffix"});
    auto found = image::find_dfu_suffix(view);
    if (found && found->crc_ok())
      fail(ErrorKind::refused, fmt::format("{} already has a DFU suffix; nothing was written", opt.file),
           fmt::format("remove it first: omv dfu suffix remove {}", opt.file));
    ctx.reporter().warn(fmt::format("{} ends in a DFU signature with a wrong CRC; adding a new suffix after it", opt.file));
  }
  image::DfuSuffix s;
  s.vendor = parse_hex16(opt.vid, "--vid");
  s.product = parse_hex16(opt.pid, "--pid");
  s.bcd_device = parse_hex16(opt.bcd, "--bcd");
  s.bcd_dfu = opt.spec.empty() ? (image::looks_like_dfuse(bytes) ? 0x011A : 0x0100) : parse_hex16(opt.spec, "--spec");
  auto suffix = image::make_dfu_suffix(bytes, s);
  const std::string out = opt.out.empty() ? opt.file : opt.out;
  image::OutputFile file(out);
  file.write(bytes);
  file.write(suffix);
  file.commit();
  image::FoundSuffix found;
  found.suffix = s;
  found.suffix.crc = found.computed_crc = image::load_le32(suffix.data() + 12);
  found.payload_size = bytes.size();
  ctx.reporter().result(fmt::format("{}: DFU suffix added ({:04X}:{:04X}, bcdDevice {:04X}, bcdDFU {:04X}, CRC 0x{:08X})", out, s.vendor,
                                    s.product, s.bcd_device, s.bcd_dfu, found.suffix.crc),
                        suffix_json(out, found));
}

void run_suffix_check(Context& ctx, const SuffixOptions& opt) {
  auto bytes = image::read_file(opt.file);
  auto found = require_suffix(opt.file, bytes);
  if (ctx.globals.json) {
    print_json(suffix_json(opt.file, found));
    return;
  }
  fmt::print("{}: DFU suffix\n  idVendor   {:04X}\n  idProduct  {:04X}\n  bcdDevice  {:04X}\n  bcdDFU     {:04X}\n  bLength    {}\n  dwCRC      0x{:08X} (valid)\n",
             opt.file, found.suffix.vendor, found.suffix.product, found.suffix.bcd_device, found.suffix.bcd_dfu, found.suffix.length,
             found.suffix.crc);
}

void run_suffix_remove(Context& ctx, const SuffixOptions& opt) {
  auto bytes = image::read_file(opt.file);
  auto found = require_suffix(opt.file, bytes);
  const std::string out = opt.out.empty() ? opt.file : opt.out;
  image::write_file(out, std::span<const uint8_t>(bytes).first(static_cast<size_t>(found.payload_size)));
  ctx.reporter().result(fmt::format("{}: DFU suffix removed ({} bytes left)", out, found.payload_size),
                        {{"output", out}, {"size", found.payload_size}});
}

void setup(CLI::App& parent, Context& ctx) {
  auto* dfu = parent.add_subcommand("dfu", "DfuSe files and DFU suffixes (dfuse-pack / dfu-suffix compatible)");
  dfu->require_subcommand(1);

  auto pack = std::make_shared<PackOptions>();
  auto* p = dfu->add_subcommand("pack", "Write a DfuSe .dfu file, byte-identical to dfuse-pack for the same inputs");
  p->add_option("INPUT", pack->inputs, "ADDRESS[@ALT]:FILE.bin (like dfuse-pack -b) or FILE.elf")->required();
  p->add_option("-o,--output", pack->out, "The .dfu file to write")->required();
  p->add_option("--vid", pack->vid, "idVendor in the suffix, hex (default 0483)");
  p->add_option("--pid", pack->pid, "idProduct in the suffix, hex (default DF11)");
  p->add_option("--bcd", pack->bcd, "bcdDevice in the suffix, hex (default 0, as dfuse-pack)");
  p->add_option("--alt", pack->alt, "Alternate setting for inputs without @ALT (default 0)")->check(CLI::Range(0, 255));
  p->callback([&ctx, pack] { run_pack(ctx, *pack); });

  auto* suffix = dfu->add_subcommand("suffix", "Add, check or remove the DFU suffix of a file (like dfu-suffix)");
  suffix->require_subcommand(1);
  auto add = std::make_shared<SuffixOptions>();
  auto* a = suffix->add_subcommand("add", "Append a DFU suffix");
  a->add_option("FILE", add->file, "The file")->required();
  a->add_option("-o,--output", add->out, "Write here instead of changing FILE");
  a->add_option("--vid", add->vid, "idVendor, hex (default FFFF = any)");
  a->add_option("--pid", add->pid, "idProduct, hex (default FFFF = any)");
  a->add_option("--bcd", add->bcd, "bcdDevice, hex (default FFFF = any)");
  a->add_option("--spec", add->spec, "bcdDFU, hex (default 0100, 011A for DfuSe files)");
  a->callback([&ctx, add] { run_suffix_add(ctx, *add); });

  auto check = std::make_shared<SuffixOptions>();
  auto* c = suffix->add_subcommand("check", "Show the DFU suffix; fails when it is missing or its CRC is wrong");
  c->add_option("FILE", check->file, "The file")->required();
  c->callback([&ctx, check] { run_suffix_check(ctx, *check); });

  auto remove = std::make_shared<SuffixOptions>();
  auto* r = suffix->add_subcommand("remove", "Remove a valid DFU suffix");
  r->add_option("FILE", remove->file, "The file")->required();
  r->add_option("-o,--output", remove->out, "Write here instead of changing FILE");
  r->callback([&ctx, remove] { run_suffix_remove(ctx, *remove); });
}

const Register registered{{"dfu", "DfuSe files and DFU suffixes: pack, suffix add|check|remove", setup, Group::files, 41,
                                    "  omv dfu pack firmware.bin --vid 0x37C5 --pid 0x9206 -o firmware.dfu\n" "  omv dfu suffix check firmware.dfu\n"}};

}  // namespace
}  // namespace omv::cli::cmd_dfu
