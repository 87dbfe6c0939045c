// omv uf2 convert: .bin (with --base) or .elf -> .uf2, and .uf2 -> .bin (gaps filled with 0xFF).
#include <fmt/format.h>

#include "cli/command.h"
#include "core/error.h"
#include "core/numbers.h"
#include "image/detect.h"
#include "image/file_io.h"
#include "image/load.h"
#include "image/uf2.h"

namespace omv::cli::cmd_uf2 {
namespace {

using nlohmann::json;

constexpr uint64_t kMaxBin = 256ull * 1024 * 1024;

struct Options {
  std::string in, out, base, family;
};

void to_bin(Context& ctx, const Options& opt, std::vector<uint8_t> bytes, std::optional<uint32_t> family) {
  image::ByteView view(bytes, {opt.in, "UF2"});
  auto file = image::parse_uf2(view);
  auto segments = image::uf2_segments(view, file, family);
  if (segments.empty()) fail(ErrorKind::bad_file, fmt::format("{}: UF2: no flash data for the selected family", opt.in));
  auto gaps = image::gaps_between(segments);
  auto flat = image::flatten(segments, 0xFF, kMaxBin);
  image::write_file(opt.out, flat.bytes);
  json jgaps = json::array();
  uint64_t gap_bytes = 0;
  for (const auto& g : gaps) {
    ctx.reporter().warn(fmt::format("gap {}..{} ({} bytes) filled with 0xFF", hex32(g.start), hex32(g.end), g.end - g.start),
                        {{"start", g.start}, {"end", g.end}});
    jgaps.push_back({{"start", g.start}, {"end", g.end}, {"size", g.end - g.start}});
    gap_bytes += g.end - g.start;
  }
  ctx.reporter().result(fmt::format("{}: {} bytes for {}..{} from {} blocks{}", opt.out, flat.bytes.size(), hex32(flat.base),
                                    hex32(flat.base + flat.bytes.size()), file.blocks.size(),
                                    gaps.empty() ? "" : fmt::format(", {} gap bytes filled with 0xFF", gap_bytes)),
                        {{"output", opt.out}, {"base", flat.base}, {"size", flat.bytes.size()}, {"gaps", jgaps}});
}

void to_uf2(Context& ctx, const Options& opt, std::vector<uint8_t> bytes, uint32_t family) {
  image::LoadOptions load;
  const auto format = image::detect_format(bytes, opt.in);
  if (format != image::Format::elf && format != image::Format::dfuse) {
    if (opt.base.empty())
      fail(ErrorKind::usage, fmt::format("{} is a raw binary: give its address with --base", opt.in), "e.g. --base 0x10000000 (RP2040 flash)");
    load.base = parse_u64(opt.base);
    if (!load.base || *load.base > 0xFFFFFFFFu) fail(ErrorKind::usage, fmt::format("--base {} is not a 32-bit address", opt.base));
  } else if (!opt.base.empty()) {
    fail(ErrorKind::usage, fmt::format("{} carries its own addresses; --base is only for raw binaries", opt.in));
  }
  auto image = image::load_image(std::move(bytes), opt.in, load);
  for (const auto& note : image.notes) ctx.reporter().info(note);
  uint64_t data = 0;
  for (const auto& s : image.segments) data += s.data.size();
  image::OutputFile file(opt.out);
  const size_t blocks =
      image::write_uf2(std::move(image.segments), family, [&](std::span<const uint8_t> block) { file.write(block); });
  file.commit();
  ctx.reporter().result(fmt::format("{}: {} blocks of 256 bytes, family {}, {} bytes of data{}", opt.out, blocks,
                                    image::uf2_family_name(family), data,
                                    blocks * 256 > data ? fmt::format(" (+{} bytes of 0xFF to whole blocks)", blocks * 256 - data) : ""),
                        {{"output", opt.out}, {"blocks", blocks}, {"family", family}, {"data_size", data}});
}

void run(Context& ctx, const Options& opt) {
  std::optional<uint32_t> family;
  if (!opt.family.empty()) {
    family = image::parse_uf2_family(opt.family);
    if (!family) fail(ErrorKind::usage, fmt::format("--family {} is neither a known family nor a number", opt.family),
                      "known: rp2040, rp2350-arm-s, rp2350-riscv, rp2350-arm-ns, absolute, data, or 0xID");
  }
  auto bytes = image::read_file(opt.in);
  if (image::detect_format(bytes, opt.in) == image::Format::uf2) to_bin(ctx, opt, std::move(bytes), family);
  else to_uf2(ctx, opt, std::move(bytes), family.value_or(image::kUf2FamilyRp2040));
}

void setup(CLI::App& parent, Context& ctx) {
  auto* uf2 = parent.add_subcommand("uf2", "UF2 files (RP2040)");
  uf2->require_subcommand(1);
  auto opt = std::make_shared<Options>();
  auto* c = uf2->add_subcommand("convert", "bin (--base) or ELF -> UF2; UF2 -> bin with gaps filled with 0xFF");
  c->add_option("INPUT", opt->in, "firmware.bin, firmware.elf or firmware.uf2")->required();
  c->add_option("-o,--output", opt->out, "The file to write")->required();
  c->add_option("--base", opt->base, "Address of a raw binary (RP2040 flash: 0x10000000)");
  c->add_option("--family", opt->family, "UF2 family: rp2040 (default), rp2350-arm-s, ... or 0xID");
  c->callback([&ctx, opt] { run(ctx, *opt); });
}

const Register registered{{"uf2", "UF2 files: convert bin/ELF <-> UF2", setup, Group::files, 42,
                                    "  omv uf2 convert firmware.bin --base 0x10000000 --family 0xE48BFF56 -o firmware.uf2\n"}};

}  // namespace
}  // namespace omv::cli::cmd_uf2
