// omv image info|bin|combine|split|toc-pad: inspect firmware files and convert between the
// forms the build produces.
#include <fmt/format.h>

#include "cli/command.h"
#include "cli/table.h"
#include "core/error.h"
#include "core/numbers.h"
#include "core/text.h"
#include "image/ae3_toc.h"
#include "image/elf_to_bin.h"
#include "image/file_io.h"
#include "image/info.h"
#include "image/openmv_bin.h"

namespace omv::cli::cmd_image {
namespace {

using nlohmann::json;

std::string h(const json& v) { return hex32(v.get<uint64_t>()); }
std::string sz(const json& v) { return fmt::format("{} ({})", v.get<uint64_t>(), human_size(v.get<uint64_t>())); }
std::string usb4(const json& v) { return fmt::format("{:04X}", v.get<unsigned>()); }

void print_board(const json& b) {
  if (!b.is_object()) return;
  fmt::print("\nOn {}:\n", b["target"].get<std::string>());
  if (b.contains("note")) fmt::print("  {}\n", b["note"].get<std::string>());
  if (b.contains("firmware_partition")) {
    fmt::print("  bootloader part -> {} ({})\n", b["partition"].get<std::string>(), b["bootloader_fits"].get<bool>() ? "fits" : "too large");
    fmt::print("  firmware part   -> {} ({})\n", b["firmware_partition"].get<std::string>(),
               b["firmware_fits"].get<bool>() ? "fits" : fmt::format("{} bytes too large", b["overflow"].get<uint64_t>()));
    return;
  }
  if (b["partition"].is_null()) {
    fmt::print("  no partition holds it");
    if (b.contains("candidates") && !b["candidates"].empty()) {
      std::vector<std::string> c;
      for (const auto& x : b["candidates"]) c.push_back(x.get<std::string>());
      fmt::print("; it would fit in {}", join(c, ", "));
    }
    fmt::print("\n");
  } else {
    fmt::print("  partition {}", b["partition"].get<std::string>());
    if (b.contains("how")) fmt::print(" (by {})", b["how"].get<std::string>());
    if (b.contains("used")) fmt::print(", uses {} of {}", sz(b["used"]), sz(b["size"]));
    else if (b.contains("size")) fmt::print(", {} bytes", b["size"].get<uint64_t>());
    if (b.value("fits", false)) fmt::print(": fits\n");
    else fmt::print(": DOES NOT FIT, {} bytes over\n", b.value("overflow", uint64_t{0}));
  }
  if (b.contains("segments"))
    for (const auto& s : b["segments"])
      if (!s["fits"].get<bool>())
        fmt::print("  {}..{} overflows {} by {} bytes{}\n", h(s["start"]), h(s["end"]), s["partition"].get<std::string>(),
                   s["overflow"].get<uint64_t>(), s.contains("runs_into") ? " into " + s["runs_into"].get<std::string>() : "");
  if (b.contains("outside"))
    for (const auto& s : b["outside"]) fmt::print("  {}..{} ({} bytes) is outside every partition\n", h(s["start"]), h(s["end"]), s["size"].get<uint64_t>());
  if (b.contains("package_ends_at_partition_end") && !b["package_ends_at_partition_end"].get<bool>())
    fmt::print("  warning: the TOC package does not end at the end of the TOC partition\n");
}

void print_ranges(const char* title, const json& ranges) {
  Table t({"START", "END", "SIZE"});
  for (const auto& r : ranges) t.add({h(r["start"]), h(r["end"]), sz(r["size"])});
  fmt::print("{}:\n{}", title, t.render("  "));
}

void print_warnings(const json& j) {
  if (j.contains("warnings"))
    for (const auto& w : j["warnings"]) fmt::print("warning: {}\n", w.get<std::string>());
}

void print_suffix(const json& s) {
  fmt::print("DFU suffix: {}:{} bcdDevice {} bcdDFU {} CRC 0x{:08X} ({})\n", usb4(s["vendor"]), usb4(s["product"]),
             usb4(s["bcd_device"]), usb4(s["bcd_dfu"]), s["crc"].get<uint32_t>(),
             s["crc_ok"].get<bool>() ? "valid" : fmt::format("INVALID, computed 0x{:08X}", s["computed_crc"].get<uint32_t>()));
}

void print_info(const json& j) {
  const std::string format = j["format"];
  fmt::print("{}: {} bytes, ", j["file"].get<std::string>(), j["size"].get<uint64_t>());
  if (format == "elf") {
    fmt::print("ELF{} {} {}{} {}, entry {}\n", j["class"].get<int>(), j["endian"].get<std::string>(), j["machine"].get<std::string>(),
               j.contains("abi") ? " (" + j["abi"].get<std::string>() + ")" : "", j["type"].get<std::string>(), h(j["entry"]));
    Table t({"OFFSET", "VADDR", "PADDR", "FILESZ", "MEMSZ", "FLAGS"});
    for (const auto& s : j["load_segments"])
      t.add({h(s["offset"]), h(s["vaddr"]), h(s["paddr"]), std::to_string(s["filesz"].get<uint64_t>()),
             std::to_string(s["memsz"].get<uint64_t>()), s["flags"].get<std::string>()});
    fmt::print("Load segments:\n{}", t.render("  "));
    print_ranges("Load image (what objcopy -O binary writes, by load address)", j["load"]);
    fmt::print("Binary size: {}\n", sz(j["bin_size"]));
    fmt::print("DWARF debug info: {}\n", j["dwarf"].get<bool>() ? "yes" : "no");
  } else if (format == "dfuse") {
    fmt::print("DfuSe v{}, {} target(s)\n", j["version"].get<int>(), j["targets"].size());
    for (const auto& t : j["targets"]) {
      fmt::print("Target alt {} \"{}\"\n", t["alt"].get<int>(), t["name"].get<std::string>());
      Table e({"ADDRESS", "END", "SIZE"});
      for (const auto& x : t["elements"]) e.add({h(x["address"]), h(x["end"]), sz(x["size"])});
      std::fputs(e.render("  ").c_str(), stdout);
    }
    print_suffix(j["suffix"]);
  } else if (format == "dfu_suffix") {
    fmt::print("{} bytes of data with a DFU suffix\n", j["payload_size"].get<uint64_t>());
    print_suffix(j["suffix"]);
  } else if (format == "uf2") {
    fmt::print("UF2, {} blocks", j["blocks"].get<uint64_t>());
    if (j.contains("family")) fmt::print(", family {}", j["family"].get<std::string>());
    fmt::print("\n");
    if (j["families"].size() > 1)
      for (const auto& f : j["families"]) fmt::print("  family {}: {} blocks\n", f["name"].get<std::string>(), f["blocks"].get<uint64_t>());
    print_ranges("Address ranges", j["ranges"]);
    for (const auto& g : j["gaps"]) fmt::print("gap: {}..{} ({} bytes, 0xFF when converted)\n", h(g["start"]), h(g["end"]), g["size"].get<uint64_t>());
    if (j["out_of_order"].get<uint64_t>())
      fmt::print("out of order: {} blocks (first: block {})\n", j["out_of_order"].get<uint64_t>(), j["first_out_of_order_block"].get<uint64_t>());
    if (j["duplicates"].get<uint64_t>())
      fmt::print("duplicate addresses: {} blocks (first: block {})\n", j["duplicates"].get<uint64_t>(), j["first_duplicate_block"].get<uint64_t>());
    if (j["not_main_flash"].get<uint64_t>()) fmt::print("not-main-flash blocks: {}\n", j["not_main_flash"].get<uint64_t>());
    if (j["num_blocks_changes"].get<uint64_t>()) fmt::print("numBlocks changes {} times\n", j["num_blocks_changes"].get<uint64_t>());
  } else if (format == "romfs") {
    fmt::print("MicroPython ROMFS, {} bytes of records from offset {}", j["payload_size"].get<uint64_t>(), j["payload_offset"].get<uint64_t>());
    if (j["trailing"].get<uint64_t>()) fmt::print(", {} bytes after the image", j["trailing"].get<uint64_t>());
    fmt::print("\n");
    Table t({"PATH", "SIZE", "OFFSET", "ALIGN"});
    for (const auto& e : j["entries"]) {
      if (e["type"] == "dir") t.add({e["path"].get<std::string>() + "/", "", "", ""});
      else t.add({e["path"].get<std::string>(), std::to_string(e["size"].get<uint64_t>()), h(e["offset"]), std::to_string(e["alignment"].get<uint64_t>())});
    }
    std::fputs(t.render("  ").c_str(), stdout);
  } else if (format == "ae3_toc") {
    fmt::print("Alif AE3 TOC pad: {} zero bytes, then the {}-byte package for {}..{}\n", j["padding"].get<uint64_t>(),
               j["package_size"].get<uint64_t>(), h(j["package_address"]), h(j["package_end"]));
    fmt::print("TOC {} v{} at {} (part {}), CRC 0x{:08X} {}\n", j["identifier"].get<std::string>(), j["version"].get<int>(),
               h(j["toc_address"]), j["part"].get<std::string>(), j["crc"].get<uint32_t>(),
               j["crc_ok"].get<bool>() ? "valid" : fmt::format("INVALID, computed 0x{:08X}", j["computed_crc"].get<uint32_t>()));
    Table t({"IMAGE", "ADDRESS", "SIZE", "CPU", "FLAGS", "VERSION"});
    for (const auto& e : j["entries"]) {
      std::vector<std::string> f;
      for (const auto& x : e["flags"]) f.push_back(x.get<std::string>());
      t.add({e["identifier"].get<std::string>(), h(e["address"]), std::to_string(e["size"].get<uint64_t>()), e["cpu"].get<std::string>(),
             join(f, ","), e["version"].get<std::string>()});
    }
    std::fputs(t.render("  ").c_str(), stdout);
    if (!j["padding_is_zero"].get<bool>()) fmt::print("warning: the padding before the package is not all zero\n");
  } else if (format == "openmv_bin" || format == "bootloader_bin") {
    const std::string kind = j["kind"];
    fmt::print("{}, OpenMV bootloader {} (header at {})\n",
               kind == "combined" ? "combined openmv.bin" : kind == "ambiguous" ? "OpenMV image" : "OpenMV bootloader",
               j["boot_header"]["version"].get<std::string>(), h(j["boot_header"]["offset"]));
    if (kind == "combined") {
      fmt::print("  bootloader: {} bytes + {} bytes 0xFF padding\n", j["bootloader_size"].get<uint64_t>(), j["padding"].get<uint64_t>());
      fmt::print("  firmware:   {} at offset {}\n", sz(j["firmware_size"]), h(j["firmware_offset"]));
    }
    if (j.contains("note")) fmt::print("  {}\n", j["note"].get<std::string>());
    if (!j["boards"].empty()) {
      std::vector<std::string> b;
      for (const auto& x : j["boards"]) b.push_back(x.get<std::string>());
      fmt::print("  layout of: {}\n", join(b, ", "));
    }
  } else {
    fmt::print("raw binary\n");
  }
  if (j.contains("vectors"))
    fmt::print("Vector table: initial SP {}, reset {}\n", h(j["vectors"]["initial_sp"]), h(j["vectors"]["reset_vector"]));
  print_warnings(j);
  if (j.contains("board")) print_board(j["board"]);
}

struct InfoOptions {
  std::string file, board;
};

void setup_info(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<InfoOptions>();
  auto* cmd = parent.add_subcommand("info", "Describe a firmware file: ELF, bin, DfuSe, DFU suffix, UF2, ROMFS, openmv.bin, AE3 TOC");
  cmd->add_option("FILE", opt->file, "The file")->required();
  cmd->add_option("--board", opt->board, "Also say which partition of board TARGET it belongs to and whether it fits");
  cmd->callback([&ctx, opt] {
    const boards::Board* board = opt->board.empty() ? nullptr : &ctx.boards().get(opt->board);
    auto j = image::describe_image(opt->file, board, ctx.boards());
    if (ctx.globals.json) print_json(j);
    else print_info(j);
  });
}

struct BinOptions {
  std::string elf, out, gap_fill;
};

void setup_bin(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<BinOptions>();
  auto* cmd = parent.add_subcommand("bin", "Convert an ELF to a raw binary, as arm-none-eabi-objcopy -O binary does");
  cmd->add_option("ELF", opt->elf, "The ELF file")->required();
  cmd->add_option("-o,--output", opt->out, "The binary to write")->required();
  cmd->add_option("--gap-fill", opt->gap_fill, "Byte for the gaps between sections (default 0x00, as objcopy)");
  cmd->callback([&ctx, opt] {
    image::ElfToBinOptions o;
    if (!opt->gap_fill.empty()) {
      auto v = parse_u64(opt->gap_fill);
      if (!v || *v > 0xFF) fail(ErrorKind::usage, fmt::format("--gap-fill {} is not a byte value", opt->gap_fill));
      o.gap_fill = static_cast<uint8_t>(*v);
    }
    auto flat = image::elf_to_bin(std::filesystem::path(opt->elf), o);
    image::write_file(opt->out, flat.bytes);
    ctx.reporter().result(fmt::format("{}: {} bytes for {}", opt->out, flat.bytes.size(), hex32(flat.base)),
                          {{"output", opt->out}, {"base", flat.base}, {"size", flat.bytes.size()}});
  });
}

// A bootloader or firmware given as ELF is converted first (objcopy -O binary).
std::vector<uint8_t> binary_of(const std::string& file) {
  auto bytes = image::read_file(file);
  if (image::looks_like_elf(bytes)) return image::elf_to_bin(image::parse_elf(std::move(bytes), file)).bytes;
  return bytes;
}

struct CombineOptions {
  std::string board, bootloader, firmware, out;
};

void setup_combine(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<CombineOptions>();
  auto* cmd = parent.add_subcommand("combine", "Make openmv.bin: the bootloader padded with 0xFF to the firmware offset, then the firmware");
  cmd->add_option("--board", opt->board, "Board TARGET (gives the firmware offset)")->required();
  cmd->add_option("--bootloader", opt->bootloader, "bootloader.bin (or .elf)")->required();
  cmd->add_option("--firmware", opt->firmware, "firmware.bin (or .elf)")->required();
  cmd->add_option("-o,--output", opt->out, "openmv.bin to write")->required();
  cmd->callback([&ctx, opt] {
    const auto& board = ctx.boards().get(opt->board);
    auto layout = image::combined_layout(board);
    auto boot = binary_of(opt->bootloader);
    auto fw = binary_of(opt->firmware);
    if (!image::read_boot_header(boot))
      ctx.reporter().warn(fmt::format("{} has no OpenMV boot header (magic 0xB00710AD at offset 0x1000)", opt->bootloader));
    auto out = image::combine_openmv_bin(boot, fw, layout, opt->bootloader, opt->firmware);
    image::write_file(opt->out, out);
    ctx.reporter().result(
        fmt::format("{}: {} bytes (bootloader {} + {} bytes 0xFF, firmware {} at offset {}); write it at {}", opt->out, out.size(),
                    boot.size(), layout.firmware_offset - boot.size(), fw.size(), hex32(layout.firmware_offset),
                    hex32(layout.bootloader->start)),
        {{"output", opt->out}, {"size", out.size()}, {"firmware_offset", layout.firmware_offset}, {"address", layout.bootloader->start}});
  });
}

struct SplitOptions {
  std::string board, file, out_dir;
  bool keep_padding = false;
};

void setup_split(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<SplitOptions>();
  auto* cmd = parent.add_subcommand("split", "Split openmv.bin into bootloader.bin and firmware.bin");
  cmd->add_option("FILE", opt->file, "openmv.bin")->required();
  cmd->add_option("--board", opt->board, "Board TARGET (gives the firmware offset)")->required();
  cmd->add_option("-o,--output-dir", opt->out_dir, "Folder for bootloader.bin and firmware.bin")->required();
  cmd->add_flag("--keep-padding", opt->keep_padding, "Keep the 0xFF padding at the end of bootloader.bin");
  cmd->callback([&ctx, opt] {
    const auto& board = ctx.boards().get(opt->board);
    auto layout = image::combined_layout(board);
    auto bytes = image::read_file(opt->file);
    auto split = image::split_openmv_bin(bytes, layout, opt->file, opt->keep_padding);
    if (!image::read_boot_header(bytes)) ctx.reporter().warn(fmt::format("{} has no OpenMV boot header at offset 0x1000", opt->file));
    std::filesystem::create_directories(opt->out_dir);
    const auto dir = std::filesystem::path(opt->out_dir);
    image::write_file(dir / "bootloader.bin", split.bootloader);
    image::write_file(dir / "firmware.bin", split.firmware);
    ctx.reporter().result(fmt::format("{}: bootloader.bin {} bytes ({} bytes of 0xFF padding dropped), firmware.bin {} bytes",
                                      opt->out_dir, split.bootloader.size(), split.padding, split.firmware.size()),
                          {{"bootloader", (dir / "bootloader.bin").string()}, {"bootloader_size", split.bootloader.size()},
                           {"padding", split.padding}, {"firmware", (dir / "firmware.bin").string()}, {"firmware_size", split.firmware.size()}});
  });
}

struct TocOptions {
  std::string file, out;
};

void setup_toc_pad(CLI::App& parent, Context& ctx) {
  auto opt = std::make_shared<TocOptions>();
  auto* cmd = parent.add_subcommand("toc-pad", "Make the AE3's firmware_pad.toc: firmware.toc at the end of 8 KiB of zeros");
  cmd->add_option("FILE", opt->file, "firmware.toc (from app-gen-toc)")->required();
  cmd->add_option("-o,--output", opt->out, "firmware_pad.toc to write")->required();
  cmd->callback([&ctx, opt] {
    auto toc = image::read_file(opt->file);
    auto out = image::pad_ae3_toc(toc, opt->file);
    image::write_file(opt->out, out);
    ctx.reporter().result(fmt::format("{}: {} zero bytes + {} bytes of TOC", opt->out, out.size() - toc.size(), toc.size()),
                          {{"output", opt->out}, {"size", out.size()}, {"padding", out.size() - toc.size()}});
  });
}

void setup(CLI::App& parent, Context& ctx) {
  auto* cmd = parent.add_subcommand("image", "Inspect and convert firmware files");
  cmd->require_subcommand(1);
  cmd->fallthrough();
  setup_info(*cmd, ctx);
  setup_bin(*cmd, ctx);
  setup_combine(*cmd, ctx);
  setup_split(*cmd, ctx);
  setup_toc_pad(*cmd, ctx);
}

const Register registered{{"image", "Inspect firmware files; ELF to bin; combine/split openmv.bin", setup, Group::files, 40,
                                    "  omv image info firmware.dfu\n" "  omv image bin firmware.elf -o firmware.bin\n" "  omv image combine --board OPENMV4 --bootloader bootloader.bin --firmware firmware.bin -o openmv.bin\n"}};

}  // namespace
}  // namespace omv::cli::cmd_image
